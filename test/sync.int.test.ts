// Bi-directional status sync on the real Redis and PostgreSQL against the Jira and ServiceNow simulators:
// every state of every mapping read back into the incident, a no-change poll that only stamps, terminal
// states no longer polled, a vanished ticket, a 429 in the middle of a cycle, and the Job Scheduler with
// two sync workers.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { TicketError, type TicketAdapter, type TicketReference, type TicketStatus } from '@rhx/adapters';
import { poolOf } from '@rhx/db';
import type { JiraSimulator, ServiceNowSimulator } from '@rhx/testing';
import { startSyncRole, SyncStats, type SyncCycleReport } from '@rhx/sync';
import type { Harness } from './harness.js';
import { startBothSystemsHarness } from './jira-harness.js';
import { readyAdapter, storeTicket, syncAdapters, syncCycle, syncedRow, syncHistory, ticketFor } from './sync-harness.js';

let h: Harness;
let jira: JiraSimulator;
let snow: ServiceNowSimulator;
let close: () => Promise<void>;
let jiraAdapter: TicketAdapter;
let snowAdapter: TicketAdapter;
beforeAll(async () => {
  ({ h, jira, snow, close } = await startBothSystemsHarness({ HTTP_TIMEOUT_MS: '5000' }));
  const provider = syncAdapters(h);
  jiraAdapter = await readyAdapter(provider, 'jira');
  snowAdapter = await readyAdapter(provider, 'servicenow');
});
afterAll(async () => {
  await h.redis.del(`${h.config.QUEUE_PREFIX}:sync:stats`);
  await close();
});

const readsOf = (sim: { requests(): { method: string; path: string }[] }, remoteId: string) =>
  sim.requests().filter((r) => r.method === 'GET' && r.path.endsWith(`/${remoteId}`)).length;

describe('every state of every mapping, read back into the incident', () => {
  test('Jira: To Do changes nothing, In Progress → IN_PROGRESS, Done → CLOSED and no longer polled', async () => {
    const [todo, doing, done] = await Promise.all(['J-TODO', 'J-DOING', 'J-DONE'].map((id) => ticketFor(h, jiraAdapter, id)));
    jira.setStatus(doing!.remoteId, 'indeterminate');
    jira.setStatus(done!.remoteId, 'done');
    await syncCycle(h).run();

    expect(await syncedRow(h, 'J-TODO')).toMatchObject({ analystStatus: 'NEW', open: true, remoteState: 'To Do', snowTicketState: null });
    expect(await syncHistory(h, 'J-TODO')).toEqual([]);
    expect(await syncedRow(h, 'J-DOING')).toMatchObject({ analystStatus: 'IN_PROGRESS', open: true, remoteState: 'In Progress', snowTicketState: null });
    expect(await syncedRow(h, 'J-DONE')).toMatchObject({ analystStatus: 'CLOSED', open: false, remoteState: 'Done' });
    expect(await syncHistory(h, 'J-DONE')).toEqual([{
      action: 'EXTERNAL_SYNC', source: 'jira-sync', message: `Jira issue ${done!.externalId} is now Done (was not read yet); analyst status CLOSED; no longer synced`,
      old: { analystStatus: 'NEW', ticketState: null, open: true },
      new: { analystStatus: 'CLOSED', ticketState: 'Done', open: false, system: 'jira', externalId: done!.externalId },
    }]);

    // The person moves the first one on; the done one is not read again.
    jira.setStatus(todo!.remoteId, 'indeterminate');
    await syncCycle(h).run();
    expect(await syncedRow(h, 'J-TODO')).toMatchObject({ analystStatus: 'IN_PROGRESS', remoteState: 'In Progress' });
    expect(await syncHistory(h, 'J-TODO')).toMatchObject([{ old: { analystStatus: 'NEW', ticketState: 'To Do' }, new: { analystStatus: 'IN_PROGRESS', ticketState: 'In Progress' } }]);
    expect(readsOf(jira, done!.remoteId)).toBe(1);
    expect(readsOf(jira, doing!.remoteId)).toBe(2);
  });

  test.each([
    ['1', 'New', 'NEW', true],
    ['2', 'In Progress', 'IN_PROGRESS', true],
    ['3', 'On Hold', 'NEW', true],
    ['6', 'Resolved', 'CLOSED', false],
    ['7', 'Closed', 'CLOSED', false],
    ['8', 'Canceled', 'FALSE_POSITIVE', false],
  ])('ServiceNow Table API state %s (%s) → analyst status %s, polled again: %s', async (state, label, analystStatus, open) => {
    const id = `SN-STATE-${state}`;
    const ref = await ticketFor(h, snowAdapter, id);
    // Every incident is created New (1); a first look records that without a history row.
    await syncCycle(h).run();
    expect(await syncedRow(h, id)).toMatchObject({ analystStatus: 'NEW', snowTicketState: 'New', remoteState: '1', open: true });
    snow.setState(ref.remoteId, state);
    await syncCycle(h).run();
    await syncCycle(h).run();

    const row = await syncedRow(h, id);
    expect(row).toMatchObject({ analystStatus, snowTicketState: label, remoteState: state, open });
    expect(row.snowPolledAt).not.toBeNull();
    const history = await syncHistory(h, id);
    expect(history).toHaveLength(state === '1' ? 0 : 1);
    if (state !== '1') {
      expect(history[0]).toMatchObject({
        action: 'EXTERNAL_SYNC', source: 'servicenow-sync',
        old: { analystStatus: 'NEW', ticketState: 'New' }, new: { analystStatus, ticketState: label, open },
      });
    }
    expect(readsOf(snow, ref.remoteId)).toBe(open ? 3 : 2);
  });

  test('Proactive mode: cases map from ticketStatus (both spellings), history source proactive-snow-sync', async () => {
    const states: Record<string, string> = {
      'case-wip': 'Work In Progress', 'case-res': 'Resolved', 'case-cls': 'Closed', 'case-cnl': 'Cancelled', 'case-cnd': 'Canceled', 'case-pnd': 'Pending',
    };
    const ids = Object.keys(states).map((remoteId) => `PRO-${remoteId}`);
    for (const remoteId of Object.keys(states)) {
      await storeTicket(h, `PRO-${remoteId}`, { system: 'servicenow', externalId: `CS-${remoteId}`, remoteId, url: `https://cases.example/${remoteId}` });
    }
    // The Proactive adapter (another branch) answers `{state: ticketStatus, open}`; the cycle maps from state.
    const terminal = new Set(['Resolved', 'Closed', 'Cancelled', 'Canceled']);
    const proactive = {
      readStatus: async (ref: { remoteId: string }): Promise<TicketStatus> => {
        const state = states[ref.remoteId];
        // The Table API tickets of the other tests: their states are unknown to the Proactive mapping.
        if (!state) return snowAdapter.readStatus(ref as TicketReference);
        return { state, open: !terminal.has(state) };
      },
      lifecycle: { resolve: false, reopen: false, onClosed: 'follow-up' },
    } as unknown as TicketAdapter;
    const adapters = { forSystem: async (s: string) => (s === 'servicenow' ? { ready: true as const, adapter: proactive } : { ready: false as const, reason: 'disabled' as const, message: 'off' }) };
    await syncCycle(h, { adapters, integration: 'proactive' }).run();

    const expected: Record<string, [string, boolean]> = {
      'case-wip': ['IN_PROGRESS', true], 'case-res': ['CLOSED', false], 'case-cls': ['CLOSED', false],
      'case-cnl': ['FALSE_POSITIVE', false], 'case-cnd': ['FALSE_POSITIVE', false], 'case-pnd': ['NEW', true],
    };
    for (const [remoteId, [analystStatus, open]] of Object.entries(expected)) {
      expect(await syncedRow(h, `PRO-${remoteId}`)).toMatchObject({ analystStatus, open, snowTicketState: states[remoteId] });
    }
    expect(await syncHistory(h, 'PRO-case-wip')).toMatchObject([{ action: 'EXTERNAL_SYNC', source: 'proactive-snow-sync', new: { analystStatus: 'IN_PROGRESS', ticketState: 'Work In Progress' } }]);
    expect(await syncHistory(h, 'PRO-case-pnd')).toEqual([]); // a first look at a Pending case is its baseline

    // These cases exist only in the stub: the Table API cycles of the other tests must not read them.
    await poolOf(h.prisma).query('UPDATE ticket_refs SET open = false WHERE incident_id = ANY($1)', [ids]);
  });
});

describe('polls without a change, vanished tickets', () => {
  test('a cycle pages through every open ticket of every system, by id across pages of 2', async () => {
    for (let i = 0; i < 6; i++) await ticketFor(h, snowAdapter, `SN-PAGE-${i}`);
    const t0 = new Date();
    const report = await syncCycle(h, { pageSize: 2 }).run();
    const { rows } = await poolOf(h.prisma).query<{ id: string; polled: boolean }>(
      'SELECT id::text, last_polled_at >= $1 AS polled FROM ticket_refs WHERE open ORDER BY id', [t0]);
    // Ids run from one digit to two: a page order that is not numeric would skip some.
    expect(rows.some((r) => r.id.length === 1) && rows.some((r) => r.id.length === 2)).toBe(true);
    expect(rows.filter((r) => !r.polled)).toEqual([]);
    expect(report.bySystem.jira.polled + report.bySystem.servicenow.polled).toBe(rows.length);
  });

  test('a poll that finds no change only stamps the poll time: no history row, the incident unchanged', async () => {
    const ref = await ticketFor(h, snowAdapter, 'SN-STILL');
    snow.setState(ref.remoteId, '2');
    await syncCycle(h).run();
    const first = await syncedRow(h, 'SN-STILL');
    await new Promise((r) => setTimeout(r, 20));
    await syncCycle(h).run();
    const second = await syncedRow(h, 'SN-STILL');

    expect(await syncHistory(h, 'SN-STILL')).toHaveLength(1);
    expect(second).toMatchObject({ analystStatus: 'IN_PROGRESS', snowTicketState: 'In Progress', remoteState: '2', open: true });
    expect(second.updatedAt).toEqual(first.updatedAt);
    expect(second.polledAt!.getTime()).toBeGreaterThan(first.polledAt!.getTime());
    expect(second.snowPolledAt!.getTime()).toBeGreaterThan(first.snowPolledAt!.getTime());
  });

  test('a ticket the remote no longer has (404) is recorded once and no longer polled', async () => {
    await storeTicket(h, 'SN-GONE', { system: 'servicenow', externalId: 'INC0999999', remoteId: 'f'.repeat(32), url: `${snow.url}/nav_to.do` });
    await syncCycle(h).run();
    await syncCycle(h).run();

    expect(await syncHistory(h, 'SN-GONE')).toMatchObject([{
      action: 'TICKET_VANISHED', source: 'servicenow-sync', message: 'ServiceNow incident INC0999999 no longer exists (HTTP 404); it is no longer synced',
      new: { open: false, httpStatus: 404 },
    }]);
    expect(await syncedRow(h, 'SN-GONE')).toMatchObject({ open: false, analystStatus: 'NEW' });
    expect(readsOf(snow, 'f'.repeat(32))).toBe(1);
  });

  test('404s from a system that also fails its connection test (a wrong base URL) are not taken for vanished tickets', async () => {
    await storeTicket(h, 'SN-WRONG-URL', { system: 'servicenow', externalId: 'INC0888888', remoteId: 'e'.repeat(32), url: `${snow.url}/nav_to.do` });
    const notFound = new TicketError({ code: 'NOT_FOUND', retryable: false, httpStatus: 404, message: 'ServiceNow answered 404' });
    const broken = { readStatus: async () => Promise.reject(notFound), testConnection: async () => Promise.reject(notFound) } as unknown as TicketAdapter;
    const adapters = { forSystem: async (s: string) => (s === 'servicenow' ? { ready: true as const, adapter: broken } : { ready: false as const, reason: 'disabled' as const, message: 'off' }) };
    const report = await syncCycle(h, { adapters, concurrency: 1 }).run();
    expect(report.bySystem.servicenow).toMatchObject({ vanished: 0, errors: 1, stoppedBy: 'CONFIGURATION' });
    expect(await syncHistory(h, 'SN-WRONG-URL')).toEqual([]);
    expect(await syncedRow(h, 'SN-WRONG-URL')).toMatchObject({ open: true, polledAt: null });
    await poolOf(h.prisma).query(`UPDATE ticket_refs SET open = false WHERE incident_id = 'SN-WRONG-URL'`);
  });

  test('a disabled system is skipped; a refused credential stops that system for the cycle and leaves its tickets open', async () => {
    await ticketFor(h, jiraAdapter, 'J-AUTH');
    jira.faults.next(1, { status: 401, body: { errorMessages: ['You are not authenticated.'] }, method: 'GET' });
    const before = jira.requests().length;
    // One read at a time: the first is refused, and no other Jira ticket is read in this cycle.
    const report = await syncCycle(h, { concurrency: 1 }).run();
    expect(report.bySystem.jira).toMatchObject({ stoppedBy: 'AUTHENTICATION', errors: 1, polled: 0 });
    expect(jira.requests().slice(before).map((r) => r.status)).toEqual([401]);
    expect(await syncedRow(h, 'J-AUTH')).toMatchObject({ open: true, polledAt: null });
    expect(h.logs.lines.join('')).not.toContain('jira-token-test-1f3c');

    const off = await syncCycle(h, { adapters: { forSystem: async () => ({ ready: false, reason: 'disabled', message: 'off' }) } }).run();
    expect(off.bySystem).toEqual({
      jira: { polled: 0, changes: 0, vanished: 0, errors: 0, skipped: 'disabled' },
      servicenow: { polled: 0, changes: 0, vanished: 0, errors: 0, skipped: 'disabled' },
    });
    await syncCycle(h).run();
    expect((await syncedRow(h, 'J-AUTH')).polledAt).not.toBeNull();
  });
});

describe('a 429 in the middle of a cycle', () => {
  test('the cycle waits the Retry-After and finishes; ServiceNow pauses fleet-wide, Jira goes on meanwhile', async () => {
    const snowRefs = [];
    for (let i = 0; i < 8; i++) snowRefs.push(await ticketFor(h, snowAdapter, `SN-429-${i}`));
    const jiraRefs = [];
    for (let i = 0; i < 8; i++) jiraRefs.push(await ticketFor(h, jiraAdapter, `J-429-${i}`));
    for (const r of snowRefs) snow.setState(r.remoteId, '2');
    const snowBefore = snow.requests().length;
    const jiraBefore = jira.requests().length;
    // Three ServiceNow reads go through, the fourth is refused for 2 s; every Jira read takes 150 ms.
    snow.faults.next(3, { delayMs: 1, method: 'GET' });
    snow.faults.next(1, { status: 429, retryAfter: 2, body: { error: { message: 'Too many requests' }, status: 'failure' }, method: 'GET' });
    jira.faults.randomly(1, { delayMs: 150, method: 'GET' });
    try {
      const t0 = Date.now();
      const report = await syncCycle(h, { concurrency: 2 }).run();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
      expect(report.bySystem.servicenow.errors).toBe(0);
      expect(report.bySystem.jira.errors).toBe(0);
    } finally {
      jira.faults.clear();
    }
    for (let i = 0; i < 8; i++) expect(await syncedRow(h, `SN-429-${i}`)).toMatchObject({ analystStatus: 'IN_PROGRESS', remoteState: '2' });
    for (let i = 0; i < 8; i++) expect((await syncedRow(h, `J-429-${i}`)).polledAt).not.toBeNull();

    const snowReads = snow.requests().slice(snowBefore).filter((r) => r.method === 'GET');
    const refused = snowReads.find((r) => r.status === 429)!;
    expect(refused).toBeDefined();
    // Nothing went to ServiceNow until the Retry-After had passed, but the other lane's read (concurrency
    // 2), which may already have been on its way when the 429 came back.
    const later = snowReads.filter((r) => r.at > refused.at);
    const onItsWay = later.filter((r) => r.at - refused.at < 50);
    expect(onItsWay.length).toBeLessThanOrEqual(1);
    const afterPause = later.filter((r) => r.at - refused.at >= 50);
    expect(afterPause.length).toBeGreaterThan(0);
    for (const r of afterPause) expect(r.at - refused.at).toBeGreaterThanOrEqual(1900);
    // Jira was read during ServiceNow's pause, and all of it well before the pause ended.
    const jiraReads = jira.requests().slice(jiraBefore).filter((r) => r.method === 'GET');
    expect(jiraReads.some((r) => r.at > refused.at && r.at < refused.at + 1900)).toBe(true);
    expect(Math.max(...jiraReads.map((r) => r.at))).toBeLessThan(refused.at + 1900);
  });
});

describe('the sync role: a Job Scheduler', () => {
  test('two sync workers run one cycle per interval between them, never two at once; the stats are in Redis', async () => {
    await ticketFor(h, jiraAdapter, 'J-SCHED-1');
    const config = { ...h.config, SYNC_INTERVAL_SECONDS: 1 };
    const cycles: { at: number; worker: number }[] = [];
    let active = 0;
    let overlapped = false;
    // Each cycle takes about 300 ms of Jira reads, so two running at once would show.
    jira.faults.randomly(1, { delayMs: 300, method: 'GET' });
    const adapters = (worker: number) => {
      const provider = syncAdapters(h);
      return {
        async forSystem(system: 'jira' | 'servicenow') {
          if (system === 'jira') {
            active++;
            if (active > 1) overlapped = true;
          }
          return provider.forSystem(system);
        },
        done: (report: SyncCycleReport) => {
          active--;
          cycles.push({ at: Date.now(), worker });
          return report;
        },
      };
    };
    const a = adapters(1);
    const b = adapters(2);
    const stats = new SyncStats(h.redis, h.config.QUEUE_PREFIX);
    const before = await stats.read();
    const roles = await Promise.all([
      startSyncRole({ config, logger: h.logger, prisma: h.prisma, redis: h.redis, queues: h.queues, adapters: a, onCycle: a.done }),
      startSyncRole({ config, logger: h.logger, prisma: h.prisma, redis: h.redis, queues: h.queues, adapters: b, onCycle: b.done }),
    ]);
    const t0 = Date.now();
    try {
      await new Promise((r) => setTimeout(r, 5500));
    } finally {
      await Promise.all(roles.map((r) => r.close(7000)));
      jira.faults.clear();
    }
    const seconds = (Date.now() - t0) / 1000;
    // One per second (the first at once), not two: between 4 and 7 in 5.5 s on a loaded machine.
    expect(cycles.length).toBeGreaterThanOrEqual(4);
    expect(cycles.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(overlapped).toBe(false);
    const after = await stats.read();
    expect(after.cycles - before.cycles).toBe(cycles.length);
    expect(after.lastCycleMs).toBeGreaterThanOrEqual(250);
    expect(after.bySystem.jira.polled).toBeGreaterThan(before.bySystem.jira.polled);

    // The API serves what every sync worker summed in Redis.
    const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`rhx_sync_cycles_total ${after.cycles}\n`);
    expect(metrics).toContain(`rhx_sync_tickets_polled_total{system="jira"} ${after.bySystem.jira.polled}\n`);
    expect(metrics).toContain(`rhx_sync_changes_total{system="servicenow"} ${after.bySystem.servicenow.changes}\n`);
    expect(metrics).toContain(`rhx_sync_vanished_total{system="servicenow"} ${after.bySystem.servicenow.vanished}\n`);
    expect(metrics).toContain(`rhx_sync_errors_total{system="jira"} ${after.bySystem.jira.errors}\n`);
    expect(metrics).toContain(`rhx_sync_last_cycle_seconds ${after.lastCycleMs / 1000}\n`);
  });

  test('a cycle that overruns its interval: the next one waits for it, never two at once', async () => {
    await ticketFor(h, jiraAdapter, 'J-SCHED-2');
    const config = { ...h.config, SYNC_INTERVAL_SECONDS: 1 };
    const spans: { start: number; end: number }[] = [];
    // Every Jira read takes 1.2 s: each cycle outlasts the 1 s interval.
    jira.faults.randomly(1, { delayMs: 1200, method: 'GET' });
    const timed = () => {
      const provider = syncAdapters(h);
      let start = 0;
      return {
        async forSystem(system: 'jira' | 'servicenow') {
          if (system === 'jira') start = Date.now();
          return provider.forSystem(system);
        },
        done: () => void spans.push({ start, end: Date.now() }),
      };
    };
    const a = timed();
    const b = timed();
    const roles = await Promise.all([a, b].map((w) =>
      startSyncRole({ config, logger: h.logger, prisma: h.prisma, redis: h.redis, queues: h.queues, adapters: w, onCycle: w.done })));
    let whole: typeof spans = [];
    try {
      await h.eventually(async () => spans.length >= 3, 15_000);
      // Closing ends the cycle then running early: only the ones finished before are whole.
      whole = [...spans];
    } finally {
      await Promise.all(roles.map((r) => r.close(7000)));
      jira.faults.clear();
    }
    spans.sort((x, y) => x.start - y.start);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    for (const s of whole) expect(s.end - s.start).toBeGreaterThanOrEqual(1100);
  });
});
