import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { marker, outcomes, startLifecycle } from './update-lifecycle-harness.js';

// Issue 13, items 0 and 1, black-box: a risk change's update reaches the ticket however its call
// fails, and a failed update does not leave the cadence gate believing it did. Jira and ServiceNow
// (Table API) simulators, real push and retry workers; two attempts in all, 1 s apart; cadence 0 h.
// What is asserted is what a user sees: the ticket's priority and notes, the delivery, the gate's answer.

let l: Awaited<ReturnType<typeof startLifecycle>>;
beforeAll(async () => {
  l = await startLifecycle();
});
afterEach(() => {
  l.jira.faults.clear();
  l.snow.faults.clear();
  l.snow.setJournalReadable(true);
});
afterAll(() => l.close());

const LONG = 120_000;

describe('item 0: an update refused with nothing applied is simply retried', () => {
  test('ServiceNow: the PATCH answered 503 once; the retry sends it; priority 1, one work note', async () => {
    const id = 'UL-503-SNOW';
    const { snow } = await l.ticketed(id, ['servicenow']);
    expect(l.snowPriority(snow.number)).toEqual({ priority: '2', impact: '1', urgency: '2' });
    l.snow.faults.next(1, { status: 503, method: 'PATCH', path: `/incident/${snow.sysId}` });
    const deliveryId = l.pushed(await l.risk(id, { score: 91 }), 'servicenow', 'p1-escalation');
    const d = await l.finished(deliveryId);
    expect(d).toMatchObject({ status: 'SUCCEEDED', lastErrorCode: null });
    expect(outcomes(d)).toEqual([['FAILED', 503], ['SUCCEEDED', null]]);
    expect(l.snowPriority(snow.number)).toEqual({ priority: '1', impact: '1', urgency: '1' });
    expect(l.snowNotes(snow.number)).toEqual([expect.stringContaining(marker(deliveryId))]);
  }, LONG);

  test('Jira: the comment answered 503 once; the retry sends it; priority Highest, one comment', async () => {
    const id = 'UL-503-JIRA';
    const { jira } = await l.ticketed(id, ['jira']);
    expect(l.jiraPriority(jira.key)).toBe('High');
    l.jira.faults.next(1, { status: 503, method: 'POST', path: `/issue/${jira.issueId}/comment` });
    const deliveryId = l.pushed(await l.risk(id, { score: 91 }), 'jira', 'p1-escalation');
    const d = await l.finished(deliveryId);
    expect(d).toMatchObject({ status: 'SUCCEEDED', lastErrorCode: null });
    expect(outcomes(d)).toEqual([['FAILED', 503], ['SUCCEEDED', null]]);
    expect(l.jiraPriority(jira.key)).toBe('Highest');
    expect(l.jiraComments(jira.key)).toEqual([expect.stringContaining(marker(deliveryId))]);
  }, LONG);
});

describe('item 0: an update whose outcome is unknown is checked by its marker where the system can say', () => {
  test.each([
    ['jira', 'status500'],
    ['jira', 'drop'],
    ['servicenow', 'status500'],
    ['servicenow', 'drop'],
  ] as const)('%s: applied, then its answer lost (%s): found on the ticket, not sent again, SUCCEEDED', async (system, mode) => {
    const id = `UL-LOST-${system}-${mode}`.toUpperCase();
    const t = await l.ticketed(id, [system]);
    (system === 'jira' ? l.jira : l.snow).faults.updateThenFail(mode);
    const deliveryId = l.pushed(await l.risk(id, { score: 92 }), system, 'p1-escalation');
    const d = await l.finished(deliveryId);
    expect(d).toMatchObject({ status: 'SUCCEEDED', lastErrorCode: null });
    expect(d.attempts.map((a) => a.outcome)).toEqual(['UNKNOWN', 'SUCCEEDED']);
    if (system === 'jira') {
      expect(l.jiraPriority(t.jira.key)).toBe('Highest');
      expect(l.jiraComments(t.jira.key)).toEqual([expect.stringContaining(marker(deliveryId))]);
    } else {
      expect(l.snowPriority(t.snow.number)).toMatchObject({ priority: '1' });
      expect(l.snowNotes(t.snow.number)).toEqual([expect.stringContaining(marker(deliveryId))]);
      expect(l.snowPatches(t.snow.sysId)).toHaveLength(1);
    }
  }, LONG);

  test.each([
    ['jira', 504, 'PUT'],
    ['servicenow', 502, 'PATCH'],
  ] as const)('%s: a %i before anything was applied: looked up, absent, sent: one note', async (system, status, method) => {
    const id = `UL-ABSENT-${system}`.toUpperCase();
    const t = await l.ticketed(id, [system]);
    const path = system === 'jira' ? `/issue/${t.jira.issueId}` : `/incident/${t.snow.sysId}`;
    (system === 'jira' ? l.jira : l.snow).faults.next(1, { status, method, path });
    const deliveryId = l.pushed(await l.risk(id, { score: 93 }), system, 'p1-escalation');
    const d = await l.finished(deliveryId);
    expect(d).toMatchObject({ status: 'SUCCEEDED', lastErrorCode: null });
    expect(outcomes(d)).toEqual([['UNKNOWN', status], ['SUCCEEDED', null]]);
    const notes = system === 'jira' ? l.jiraComments(t.jira.key) : l.snowNotes(t.snow.number);
    expect(notes).toEqual([expect.stringContaining(marker(deliveryId))]);
    if (system === 'jira') expect(l.jiraPriority(t.jira.key)).toBe('Highest');
    else expect(l.snowPriority(t.snow.number)).toMatchObject({ priority: '1' });
  }, LONG);

  test('ServiceNow without read access to sys_journal_field: sent again with the same marker, never dropped', async () => {
    const id = 'UL-NOJOURNAL';
    const { snow } = await l.ticketed(id, ['servicenow']);
    l.snow.setJournalReadable(false);
    l.snow.faults.updateThenFail('status500');
    const deliveryId = l.pushed(await l.risk(id, { score: 94 }), 'servicenow', 'p1-escalation');
    const d = await l.finished(deliveryId);
    expect(d).toMatchObject({ status: 'SUCCEEDED', lastErrorCode: null });
    expect(d.attempts.map((a) => a.outcome)).toEqual(['UNKNOWN', 'SUCCEEDED']);
    expect(l.snowPriority(snow.number)).toMatchObject({ priority: '1' });
    // Twice the same note: better than a lost escalation; the marker says they are one update.
    expect(l.snowNotes(snow.number)).toEqual([expect.stringContaining(marker(deliveryId)), expect.stringContaining(marker(deliveryId))]);
  }, LONG);
});

describe('item 1: a failed update leaves no stale gate', () => {
  test('ServiceNow (the repro): every PATCH 503 until the update FAILED; then risk 95 is pushed and the ticket reaches priority 1', async () => {
    const id = 'UL-STALE-SNOW';
    const { snow } = await l.ticketed(id, ['servicenow']);
    l.snow.faults.next(100, { status: 503, method: 'PATCH', path: `/incident/${snow.sysId}` });
    const failed = await l.finished(l.pushed(await l.risk(id, { score: 90 }), 'servicenow', 'p1-escalation'));
    expect(failed.status).toBe('FAILED');
    expect(l.snowPriority(snow.number)).toMatchObject({ priority: '2' });
    l.snow.faults.clear();

    const again = await l.risk(id, { score: 95 });
    const deliveryId = l.pushed(again, 'servicenow', 'p1-escalation');
    expect((await l.finished(deliveryId)).status).toBe('SUCCEEDED');
    expect(l.snowPriority(snow.number)).toEqual({ priority: '1', impact: '1', urgency: '1' });
    expect(l.snowNotes(snow.number)).toEqual([expect.stringContaining(marker(deliveryId))]);
  }, LONG);

  test('Jira: every priority change 503 until the update FAILED; then risk 95 is pushed and the issue reaches Highest', async () => {
    const id = 'UL-STALE-JIRA';
    const { jira } = await l.ticketed(id, ['jira']);
    l.jira.faults.next(100, { status: 503, method: 'PUT', path: `/issue/${jira.issueId}` });
    const failed = await l.finished(l.pushed(await l.risk(id, { score: 90 }), 'jira', 'p1-escalation'));
    expect(failed.status).toBe('FAILED');
    expect(l.jiraPriority(jira.key)).toBe('High');
    l.jira.faults.clear();

    const deliveryId = l.pushed(await l.risk(id, { score: 95 }), 'jira', 'p1-escalation');
    expect((await l.finished(deliveryId)).status).toBe('SUCCEEDED');
    expect(l.jiraPriority(jira.key)).toBe('Highest');
    expect(l.jiraComments(jira.key)).toEqual([expect.stringContaining(marker(deliveryId))]);
  }, LONG);

  test('a failed fall to MEDIUM: back to HIGH is level-unchanged, since the ticket never left HIGH; no note', async () => {
    const id = 'UL-STALE-FALL';
    const { snow } = await l.ticketed(id, ['servicenow']);
    l.snow.faults.next(100, { status: 503, method: 'PATCH', path: `/incident/${snow.sysId}` });
    const failed = await l.finished(l.pushed(await l.risk(id, { score: 50 }), 'servicenow', 'cadence-elapsed-0h'));
    expect(failed.status).toBe('FAILED');
    l.snow.faults.clear();

    const back = await l.risk(id, { score: 80 });
    expect(back.tickets).toEqual([expect.objectContaining({ system: 'servicenow', push: false, reason: 'level-unchanged' })]);
    expect(l.snowPriority(snow.number)).toMatchObject({ priority: '2' });
    expect(l.snowNotes(snow.number)).toEqual([]);
  }, LONG);
});
