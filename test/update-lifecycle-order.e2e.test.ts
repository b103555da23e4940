import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { enqueueRiskChange } from '@rhx/producer';
import { marker, startLifecycle, type System } from './update-lifecycle-harness.js';

// Issue 13, items 2–4, black-box: a ticket's updates land in the order of their risk changes, an
// adopted ticket is recorded at the level it was made with, and risk changes observed out of order
// move nothing. Jira and ServiceNow (Table API) simulators, real workers; two attempts in all, cadence 0 h.
// The 10 s delay cap only lets a 503's Retry-After hold the first update back while the next change
// arrives; the 5 s HTTP timeout keeps the lease an update waits out short.

let l: Awaited<ReturnType<typeof startLifecycle>>;
beforeAll(async () => {
  l = await startLifecycle({ RETRY_MAX_DELAY_SECONDS: '10', HTTP_TIMEOUT_MS: '5000' });
});
afterEach(() => {
  l.jira.faults.clear();
  l.snow.faults.clear();
});
afterAll(() => l.close());

const LONG = 180_000;
/** A promise the test settles: what a held remote call waits for. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('item 2: the updates of one ticket run in the order of their risk changes', () => {
  test('the repro: MEDIUM answered 503, then P1 at once: MEDIUM is superseded (SKIPPED, SUPERSEDED), the ticket ends at priority 1', async () => {
    const id = 'UO-SUPERSEDE';
    const { snow } = await l.ticketed(id, ['servicenow']);
    l.snow.faults.next(1, { status: 503, retryAfter: 10, method: 'PATCH', path: `/incident/${snow.sysId}` });
    const medium = l.pushed(await l.risk(id, { score: 50 }), 'servicenow', 'cadence-elapsed-0h');
    await l.waitFor('MEDIUM refused once', () => l.delivery(medium), (d) => d.status === 'RETRY_WAIT');
    const p1 = l.pushed(await l.risk(id, { score: 92 }), 'servicenow', 'p1-escalation');
    expect(await l.finished(p1)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await l.finished(medium)).toMatchObject({ status: 'SKIPPED', lastErrorCode: 'SUPERSEDED' });
    expect((await l.incident(id)).severity).toBe('CRITICAL');
    expect(l.snowPriority(snow.number)).toEqual({ priority: '1', impact: '1', urgency: '1' });
    expect(l.snowNotes(snow.number)).toEqual([expect.stringContaining(marker(p1))]);
  }, LONG);

  test('an update in flight finishes before the next one is sent: the notes land in order and the ticket ends at priority 1', async () => {
    const id = 'UO-INFLIGHT';
    const { snow } = await l.ticketed(id, ['servicenow']);
    const held = gate();
    l.snow.faults.next(1, { holdUntil: held.opened, method: 'PATCH', path: `/incident/${snow.sysId}` });
    let medium = '';
    let p1 = '';
    try {
      medium = l.pushed(await l.risk(id, { score: 50 }), 'servicenow', 'cadence-elapsed-0h');
      await l.waitFor('MEDIUM PATCH received', () => l.snowPatches(snow.sysId).length, (n) => n === 1);
      p1 = l.pushed(await l.risk(id, { score: 92 }), 'servicenow', 'p1-escalation');
      // The P1 either waits for the MEDIUM in flight or (the bug) goes out beside it and lands first.
      await l.waitFor('P1 waiting or sent', async () => l.waitedForSibling(p1) || (await l.delivery(p1)).status === 'SUCCEEDED', Boolean);
    } finally {
      held.open();
    }
    expect(await l.finished(medium)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await l.finished(p1)).toMatchObject({ status: 'SUCCEEDED' });
    expect(l.snowPriority(snow.number)).toEqual({ priority: '1', impact: '1', urgency: '1' });
    expect(l.snowNotes(snow.number)).toEqual([expect.stringContaining(marker(medium)), expect.stringContaining(marker(p1))]);
  }, LONG);

  test('an old update that FAILED (superseded) is not re-driven over the newer one: 409 DELIVERY_SUPERSEDED, priority stays 1', async () => {
    const id = 'UO-REDRIVE-SKIPPED';
    const { snow } = await l.ticketed(id, ['servicenow']);
    l.snow.faults.next(100, { status: 503, method: 'PATCH', path: `/incident/${snow.sysId}` });
    const medium = l.pushed(await l.risk(id, { score: 50 }), 'servicenow', 'cadence-elapsed-0h');
    expect(await l.finished(medium)).toMatchObject({ status: 'FAILED' });
    l.snow.faults.clear();
    const p1 = l.pushed(await l.risk(id, { score: 92 }), 'servicenow', 'p1-escalation');
    expect(await l.finished(p1)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await l.delivery(medium)).toMatchObject({ status: 'SKIPPED', lastErrorCode: 'SUPERSEDED' });

    const redrive = await l.call('POST', `/v1/deliveries/${medium}/retry`);
    expect([redrive.statusCode, redrive.json().error?.code]).toEqual([409, 'DELIVERY_SUPERSEDED']);
    expect(await l.delivery(medium)).toMatchObject({ status: 'SKIPPED', lastErrorCode: 'SUPERSEDED' });
    expect(l.snowPriority(snow.number)).toMatchObject({ priority: '1' });
    expect(l.snowPatches(snow.sysId).filter((r) => r.status === 200)).toHaveLength(1);
  }, LONG);

  test('an old update that FAILED while the newer one waited is not re-driven over it; a change meanwhile makes no second P1 update', async () => {
    const id = 'UO-REDRIVE-FAILED';
    const { snow } = await l.ticketed(id, ['servicenow']);
    const held = gate();
    const path = `/incident/${snow.sysId}`;
    l.snow.faults.next(1, { status: 503, method: 'PATCH', path });
    l.snow.faults.next(1, { status: 503, holdUntil: held.opened, method: 'PATCH', path });
    let medium = '';
    let p1 = '';
    try {
      medium = l.pushed(await l.risk(id, { score: 50 }), 'servicenow', 'cadence-elapsed-0h');
      await l.waitFor('MEDIUM’s last attempt in flight', () => l.snowPatches(snow.sysId).length, (n) => n === 2);
      p1 = l.pushed(await l.risk(id, { score: 92 }), 'servicenow', 'p1-escalation');
      await l.waitFor('P1 waiting or sent', async () => l.waitedForSibling(p1) || (await l.delivery(p1)).status === 'SUCCEEDED', Boolean);
    } finally {
      held.open();
    }
    expect(await l.finished(medium)).toMatchObject({ status: 'FAILED' });
    // The P1 is still the update in flight: another CRITICAL change adds nothing.
    expect((await l.risk(id, { score: 96 })).tickets).toEqual([expect.objectContaining({ push: false, reason: 'level-unchanged' })]);
    expect(await l.finished(p1)).toMatchObject({ status: 'SUCCEEDED' });

    const redrive = await l.call('POST', `/v1/deliveries/${medium}/retry`);
    expect([redrive.statusCode, redrive.json().error?.code]).toEqual([409, 'DELIVERY_SUPERSEDED']);
    expect((await l.delivery(medium)).status).toBe('FAILED');
    expect(l.snowPriority(snow.number)).toMatchObject({ priority: '1' });
    expect(l.snowNotes(snow.number)).toEqual([expect.stringContaining(marker(p1))]);
  }, LONG);
});

describe('item 3: a ticket adopted after a lost create answer is recorded at the level it was made with', () => {
  test.each(['servicenow', 'jira'] as const)('%s: made at HIGH, risk 92 while the answer is lost: adopted, then pushed to P1', async (system: System) => {
    const id = `UO-ADOPT-${system}`.toUpperCase();
    await l.ingested(id, 75);
    const sim = system === 'jira' ? l.jira : l.snow;
    const made = () => (system === 'jira'
      ? l.jira.issues().filter((i) => (i.fields.labels as string[]).includes(`rhythmx-${id}`)).map((i) => i.key)
      : l.snow.incidents().filter((r) => r.correlation_id === `rhythmx:${id}`).map((r) => r.number));
    const held = gate();
    sim.faults.createThenFail('hold', { until: held.opened, then: 'drop' });
    let create = '';
    try {
      create = (await l.call('POST', `/v1/incidents/${id}/tickets`, { target: system })).json().deliveryId;
      await l.waitFor('ticket made, answer held', made, (m) => m.length === 1);
      expect((await l.risk(id, { score: 92 })).tickets).toEqual([]);
    } finally {
      held.open();
    }
    const d = await l.finished(create);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.attempts.map((a) => a.outcome)).toEqual(['UNKNOWN', 'SUCCEEDED']);
    expect(await l.history(id, 'TICKET_ADOPTED')).toHaveLength(1);
    const [ticket] = made();
    const priority = () => (system === 'jira' ? l.jiraPriority(ticket!) : l.snowPriority(ticket!).priority);
    expect(await l.waitFor('escalated to P1', priority, (p) => p === 'Highest' || p === '1')).toBeTruthy();
    expect(made()).toHaveLength(1);
    const update = await l.waitFor('update delivery', async () => (await l.incident(id)).deliveries.filter((x: { kind: string }) => x.kind === 'update'), (u) => u.length === 1);
    expect(await l.finished(update[0].id)).toMatchObject({ status: 'SUCCEEDED' });
  }, LONG);
});

describe('item 4: risk changes observed out of order', () => {
  const EARLIER = '2026-11-27T10:00:00.000Z';
  const LATER = '2026-11-27T10:05:00.000Z';

  test('the newer change applied first, then the older: the older answers stale and moves nothing', async () => {
    const id = 'UO-OBSERVED';
    const { snow } = await l.ticketed(id, ['servicenow']);
    const p1 = l.pushed(await l.risk(id, { score: 92, observedAt: LATER }), 'servicenow', 'p1-escalation');
    expect(await l.finished(p1)).toMatchObject({ status: 'SUCCEEDED' });
    const deliveries = (await l.incident(id)).deliveries.length;

    const older = await l.risk(id, { score: 50, observedAt: EARLIER });
    expect(older).toMatchObject({ stale: true, from: { score: 92, level: 'CRITICAL' }, to: { score: 92, level: 'CRITICAL' }, tickets: [] });
    const view = await l.incident(id);
    expect(view).toMatchObject({ severity: 'CRITICAL', risk: { score: 92 } });
    expect(view.deliveries).toHaveLength(deliveries);
    expect(await l.history(id, 'RISK_CHANGE_STALE')).toHaveLength(1);
    expect(l.snowPriority(snow.number)).toMatchObject({ priority: '1' });
    expect(l.snowNotes(snow.number)).toHaveLength(1);
  }, LONG);

  test('without observedAt, arrival order stands: the later arrival wins', async () => {
    const id = 'UO-ARRIVAL';
    const { snow } = await l.ticketed(id, ['servicenow']);
    expect(await l.finished(l.pushed(await l.risk(id, { score: 92, observedAt: LATER }), 'servicenow', 'p1-escalation'))).toMatchObject({ status: 'SUCCEEDED' });
    const fall = await l.risk(id, { score: 50 });
    expect(fall.stale).toBeUndefined();
    expect(await l.finished(l.pushed(fall, 'servicenow', 'cadence-elapsed-0h'))).toMatchObject({ status: 'SUCCEEDED' });
    expect(await l.incident(id)).toMatchObject({ severity: 'MEDIUM', risk: { score: 50 } });
    expect(l.snowPriority(snow.number)).toMatchObject({ priority: '3' });
  }, LONG);

  test('through the producer library and the ingest worker: the older event is recorded stale and moves nothing', async () => {
    const id = 'UO-PRODUCER';
    const { jira } = await l.ticketed(id, ['jira']);
    const options = { prefix: l.h.config.QUEUE_PREFIX };
    await enqueueRiskChange(l.h.redis, id, { score: 92, observedAt: LATER }, options);
    const updates = async () => (await l.incident(id)).deliveries.filter((d: { kind: string }) => d.kind === 'update');
    await l.waitFor('P1 update made', updates, (u) => u.length === 1 && u[0].status === 'SUCCEEDED');
    await enqueueRiskChange(l.h.redis, id, { score: 50, observedAt: EARLIER }, options);
    await l.waitFor('older event recorded', () => l.history(id, 'RISK_CHANGE_STALE'), (rows) => rows.length === 1);
    expect(await l.incident(id)).toMatchObject({ severity: 'CRITICAL', risk: { score: 92 } });
    expect(await updates()).toHaveLength(1);
    expect(l.jiraPriority(jira.key)).toBe('Highest');
    expect(l.jiraComments(jira.key)).toHaveLength(1);
  }, LONG);
});
