import { expect } from '@jest/globals';
import type { JiraSimulator, ServiceNowSimulator } from '@rhx/testing';
import { apiCaller, readFixture, type Harness } from './harness.js';
import { startBothSystemsHarness } from './jira-harness.js';

// What the update-lifecycle tests share: a harness with Jira and ServiceNow (Table API) simulators,
// real ingest, push and retry workers, short retries, no cadence window; and the reads a user makes:
// the API's answers and the tickets as the simulators hold them.

export type System = 'jira' | 'servicenow';

export interface Attempt { number: number; outcome: string; code: string | null; httpStatus: number | null }
export interface DeliveryDetail { id: string; status: string; kind: string; lastErrorCode: string | null; attempts: Attempt[] }
export interface TicketDecision { system: System; externalId: string; push: boolean; reason: string; deliveryId?: string }
export interface RiskAnswer { stale?: boolean; from: { score: number; level: string }; to: { score: number; level: string }; tickets: TicketDecision[] }

/** The ServiceNow record and the Jira issue of one incident, as the bridge recorded them. */
export interface Tickets { snow: { number: string; sysId: string }; jira: { key: string; issueId: string } }

const FINISHED = ['SUCCEEDED', 'FAILED', 'SKIPPED'];

/**
 * Starts the harness (`env` on top of: 1 s base retry delay, 2 s cap, two attempts in all, cadence 0 h)
 * with an ingest, a push and a retry worker.
 */
export async function startLifecycle(env: Record<string, string> = {}) {
  const both = await startBothSystemsHarness({
    RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '2', RETRY_MAX_ATTEMPTS: '2', SNOW_UPDATE_CADENCE_HOURS: '0', ...env,
  });
  both.h.startIngestWorker();
  both.h.startPushWorker();
  await both.h.startRetryWorker();
  return { ...both, ...lifecycleReads(both) };
}

function lifecycleReads({ h, jira, snow }: { h: Harness; jira: JiraSimulator; snow: ServiceNowSimulator }) {
  const { call } = apiCaller(() => h);

  /** Polls `read` until `done` holds; on time-out the error shows the last value read (what went wrong). */
  async function waitFor<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
    let last: T | undefined;
    try {
      return await h.eventually(async () => {
        last = await read();
        return done(last) ? { value: last } : undefined;
      }, timeoutMs).then((r) => r.value);
    } catch {
      throw new Error(`${what}: not reached in ${timeoutMs} ms; last seen ${JSON.stringify(last)}`);
    }
  }

  const incident = async (id: string) => (await call('GET', `/v1/incidents/${id}`)).json();
  const delivery = async (id: string): Promise<DeliveryDetail> => (await call('GET', `/v1/deliveries/${id}`)).json();
  const snowRecord = (number: string) => snow.incidents().find((r) => r.number === number)!;
  const jiraIssue = (key: string) => jira.issues().find((i) => i.key === key)!;

  /** A stored incident at `score` (HIGH by default), without tickets. */
  async function ingested(id: string, score = 75): Promise<void> {
    const body = { ...readFixture('high-lateral-movement.json'), id, risk: { score } };
    expect((await call('POST', '/v1/incidents', body)).statusCode).toBe(202);
    await waitFor(`${id}: ingested`, async () => (await incident(id)).status, (s) => s === 'ingested', 30_000);
  }

  return {
    call,
    waitFor,
    ingested,
    incident,
    delivery,
    snowRecord,
    /** What the ServiceNow record shows: its priority and how it got it. */
    snowPriority: (number: string) => {
      const { priority, impact, urgency } = snowRecord(number);
      return { priority, impact, urgency };
    },
    /** The work notes on the record, oldest first. */
    snowNotes: (number: string) => snowRecord(number).workNotes,
    snowPatches: (sysId: string) => snow.requests().filter((r) => r.method === 'PATCH' && r.path.endsWith(`/incident/${sysId}`)),
    jiraPriority: (key: string) => (jiraIssue(key).fields.priority as { name: string } | undefined)?.name,
    /** The issue's comments as text (their ADF as JSON), oldest first. */
    jiraComments: (key: string) => jiraIssue(key).comments.map((c) => JSON.stringify(c.body)),

    /** A stored incident at `score` with a ticket in each of `systems`, made by an analyst's push. */
    async ticketed(id: string, systems: System[], score = 75): Promise<Tickets> {
      await ingested(id, score);
      for (const target of systems) expect((await call('POST', `/v1/incidents/${id}/tickets`, { target })).statusCode).toBe(202);
      const view = await waitFor(`${id}: tickets in ${systems.join(', ')}`, () => incident(id), (v) => v.tickets.length === systems.length, 30_000);
      const ref = (system: System) => view.tickets.find((t: { system: string }) => t.system === system)?.externalId as string | undefined;
      const number = ref('servicenow');
      const key = ref('jira');
      return {
        snow: { number: number ?? '', sysId: number ? snowRecord(number).sys_id : '' },
        jira: { key: key ?? '', issueId: key ? jiraIssue(key).id : '' },
      };
    },

    /** `POST /v1/incidents/:id/risk`, which must be accepted. */
    async risk(id: string, change: Record<string, unknown>): Promise<RiskAnswer> {
      const res = await call('POST', `/v1/incidents/${id}/risk`, change);
      expect(res.statusCode).toBe(202);
      return res.json();
    },

    /** The update delivery the gate opened for `system`, after checking its decision. */
    pushed(answer: RiskAnswer, system: System, reason: string): string {
      const decision = answer.tickets.find((t) => t.system === system);
      expect(decision).toMatchObject({ push: true, reason, deliveryId: expect.any(String) });
      return decision!.deliveryId!;
    },

    /** The delivery once no run will move it on its own (SUCCEEDED, FAILED or SKIPPED). */
    finished: (id: string, timeoutMs = 60_000) => waitFor(`delivery ${id} finished`, () => delivery(id), (d) => FINISHED.includes(d.status), timeoutMs),

    /** Whether a push worker logged that `deliveryId` waits for another update of its ticket in flight. */
    waitedForSibling: (deliveryId: string) =>
      h.logs.lines.some((l) => {
        const line = JSON.parse(l) as { msg?: string; deliveryId?: string };
        return line.deliveryId === deliveryId && (line.msg ?? '').startsWith('another run is in flight');
      }),

    history: (incidentId: string, action: string) => h.prisma.incidentHistory.findMany({ where: { incidentId, action }, orderBy: { id: 'asc' } }),
  };
}

/** Attempts as `[outcome, httpStatus]` pairs, oldest first. */
export const outcomes = (d: DeliveryDetail) => d.attempts.map((a) => [a.outcome, a.httpStatus]);

/** The marker an update's note carries (its delivery id), by which a later attempt finds it on the ticket. */
export const marker = (deliveryId: string) => `rhythmx-update-${deliveryId}`;
