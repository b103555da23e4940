import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startLifecycle } from './update-lifecycle-harness.js';

// Jira's update is two calls; a failure after the priority PUT leaves the issue at the failed update's
// priority. The gate keeps that level as "may have reached the ticket", so a later change back to the
// level the ticket surely had is still pushed (before, it was `level-unchanged` and the issue stayed at P1).
let l: Awaited<ReturnType<typeof startLifecycle>>;
beforeAll(async () => { l = await startLifecycle(); });
afterAll(() => l.close());

test('Jira: the priority lands, the comment is refused until FAILED; back to HIGH, the issue must end at High', async () => {
  const id = 'PROBE-HALF';
  const { jira } = await l.ticketed(id, ['jira']);
  l.jira.faults.next(100, { status: 503, method: 'POST', path: `/issue/${jira.issueId}/comment` });
  const failed = await l.finished(l.pushed(await l.risk(id, { score: 92 }), 'jira', 'p1-escalation'));
  expect(failed.status).toBe('FAILED');
  expect(l.jiraPriority(jira.key)).toBe('Highest'); // the PUT landed, twice
  l.jira.faults.clear();
  const back = await l.risk(id, { score: 78 });
  const deliveryId = l.pushed(back, 'jira', 'cadence-elapsed-0h'); // level-unchanged before the fix
  expect((await l.finished(deliveryId)).status).toBe('SUCCEEDED');
  expect(l.jiraPriority(jira.key)).toBe('High');
}, 120_000);
