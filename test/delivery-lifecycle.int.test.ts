// Issue 13, items 5 and 6, on the real Redis and PostgreSQL with the Jira simulator: a disabled system's
// waiting deliveries end SKIPPED and can be re-driven after re-enabling; the reconciler pages through
// everything due; a click on Create ticket while a create whose answer was lost waits changes nothing,
// and the look-up waits out the settle time, so Jira's lagging search never leads to a second issue.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { QUEUE_NAMES, jobIds } from '@rhx/queue';
import type { JiraSimulator } from '@rhx/testing';
import type { Harness } from './harness.js';
import { startJiraHarness } from './jira-harness.js';
import { seedIncidents } from './delivery-rows.js';
import { lifecycleApi, outcomes } from './lifecycle-helpers.js';

// Longer than Jira's index lag, so a look-up after the settle time sees the issue the lost create made.
const SETTLE_SECONDS = 8;
const INDEX_LAG_MS = 3000;

let h: Harness;
let jira: JiraSimulator;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ h, jira, close } = await startJiraHarness(
    { RETRY_BASE_DELAY_SECONDS: '2', RETRY_MAX_DELAY_SECONDS: '3', RETRY_MAX_ATTEMPTS: '10', UNKNOWN_OUTCOME_SETTLE_SECONDS: String(SETTLE_SECONDS), HTTP_TIMEOUT_MS: '5000' },
    { indexLagMs: INDEX_LAG_MS },
  ));
});
afterAll(() => close());

const api = lifecycleApi(() => h);
const issuesOf = (id: string) => jira.issues().filter((i) => (i.fields.labels as string[]).some((l) => l.startsWith(`rhythmx-${id}`)));

// The workers start after the reconciler test, which must see its jobs exactly as the sweep left them.
let workersStarted = false;
async function startWorkers() {
  if (workersStarted) return;
  workersStarted = true;
  h.startIngestWorker();
  h.startPushWorker();
  await h.startRetryWorker();
}

describe('the reconciler pages through everything due', () => {
  test('12 due unowned deliveries, pages of 5: every one gets its job in one sweep, older waiting ones starving none', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `SWEEP-${i}`);
    await seedIncidents(h, ids);
    // Eight deliveries of a system that is not configured, long due and all made at the same instant (the
    // pages must break the tie on id), then four newer lost pushes: the old sweep's first page was the former only.
    const old = new Date(Date.now() - 3_600_000);
    const waiting = await Promise.all(ids.slice(0, 8).map((incidentId) => h.prisma.delivery.create({
      data: { incidentId, system: 'servicenow', trigger: 'auto', status: 'RETRY_WAIT', attempts: 1, nextAttemptAt: new Date(Date.now() - 60_000), createdAt: old },
    })));
    const pending = await Promise.all(ids.slice(8).map((incidentId, i) => h.prisma.delivery.create({
      data: { incidentId, system: 'jira', trigger: 'auto', status: 'PENDING', createdAt: new Date(Date.now() - 60_000 + i) },
    })));

    await h.sweeper(0).sweepOnce(5);

    const retryQueue = h.queues.get(QUEUE_NAMES.ticketRetry);
    const pushQueue = h.queues.get(QUEUE_NAMES.ticketPush);
    const states = [
      ...(await Promise.all(waiting.map((d) => retryQueue.getJobState(jobIds.ticketRetry(d.id))))),
      ...(await Promise.all(pending.map((d) => pushQueue.getJobState(jobIds.ticketPush(d.id))))),
    ];
    expect(states).toEqual(Array(12).fill('waiting'));
  });
});

describe('disabling a system while a create waits to retry', () => {
  test('the waiting create ends SKIPPED with the reason, and a re-drive after re-enabling makes exactly one ticket', async () => {
    await startWorkers();
    await api.ingested('LC-OFF');
    // Jira refuses every create (503: nothing made) until the test clears it.
    jira.faults.next(50, { status: 503, method: 'POST', path: '/issue' });
    try {
      const push = await api.push('LC-OFF', 'jira');
      expect(push.statusCode).toBe(202);
      const { deliveryId } = push.json();
      await api.settled(deliveryId, 'RETRY_WAIT');

      expect((await api.call('PUT', '/v1/integrations/jira', { enabled: false })).statusCode).toBe(200);
      const skipped = await api.settled(deliveryId, 'SKIPPED');
      expect(skipped).toMatchObject({ lastErrorCode: 'disabled', lastError: expect.stringContaining('jira is disabled'), nextAttemptAt: null });
      expect(await api.actions('LC-OFF')).toContain('TICKET_SKIPPED');

      jira.faults.clear();
      expect((await api.call('PUT', '/v1/integrations/jira', { enabled: true })).statusCode).toBe(200);
      const redrive = await api.redrive(deliveryId);
      expect(redrive.statusCode).toBe(202);
      const done = await api.settled(deliveryId, 'SUCCEEDED');
      expect(outcomes(done).at(-1)).toMatch(/:SUCCEEDED$/);
      expect(issuesOf('LC-OFF').map((i) => i.key)).toHaveLength(1);
      expect(done.ticket).toMatchObject({ externalId: issuesOf('LC-OFF')[0]!.key });
    } finally {
      jira.faults.clear();
      await api.call('PUT', '/v1/integrations/jira', { enabled: true });
    }
  }, 120_000);
});

describe('a click on Create ticket while a create whose answer was lost waits', () => {
  test('202 with the waiting delivery, its timing unchanged, a re-drive refused; one Jira issue, adopted after the settle time', async () => {
    await startWorkers();
    await api.ingested('LC-CLICK');
    // Jira makes the issue and the answer is lost; its search shows the issue only INDEX_LAG_MS later.
    jira.faults.createThenFail('drop');
    const push = await api.push('LC-CLICK', 'jira');
    expect(push.statusCode).toBe(202);
    const { deliveryId } = push.json();
    const waiting = await api.settled(deliveryId, 'RETRY_WAIT');
    expect(outcomes(waiting)).toEqual(['1:UNKNOWN']);
    expect(issuesOf('LC-CLICK').map((i) => i.key)).toHaveLength(1);

    // The analyst clicks Create ticket again, and an operator tries a re-drive.
    const click = await api.push('LC-CLICK', 'jira');
    expect([click.statusCode, click.json()]).toEqual([202, { deliveryId }]);
    expect(await api.delivery(deliveryId)).toMatchObject({ status: 'RETRY_WAIT', nextAttemptAt: waiting.nextAttemptAt, attempts: [expect.anything()] });
    const redrive = await api.redrive(deliveryId);
    expect([redrive.statusCode, redrive.json().error?.code]).toEqual([409, 'DELIVERY_IN_FLIGHT']);

    const done = await api.settled(deliveryId, 'SUCCEEDED', 90_000);
    expect(issuesOf('LC-CLICK').map((i) => i.key)).toHaveLength(1);
    expect(outcomes(done)).toEqual(['1:UNKNOWN', '2:SUCCEEDED']);
    expect(done.ticket).toMatchObject({ externalId: issuesOf('LC-CLICK')[0]!.key });
    expect(await api.actions('LC-CLICK')).toContain('TICKET_ADOPTED');
    expect(await api.actions('LC-CLICK')).not.toContain('TICKET_CREATED');
    // The look-up never ran sooner than the settle time after the attempt whose answer was lost (lower bound only).
    const [first, second] = done.attempts;
    expect(first.waitReason).toBe('outcome-settle');
    expect(Date.parse(second.startedAt) - Date.parse(first.finishedAt)).toBeGreaterThanOrEqual(SETTLE_SECONDS * 1000 - 5);
  }, 120_000);
});
