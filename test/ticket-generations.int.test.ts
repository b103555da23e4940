// Issue 13, item 7, on the real Redis and PostgreSQL with the Jira and ServiceNow simulators: a ticket the
// remote deleted (the sync cycle records TICKET_VANISHED) is retired, and an analyst's push makes the next
// generation with its own dedup key, so a look-up after a lost answer finds only that generation's ticket.
// The simulators cannot delete a record: a vanished ticket is one whose status read answers 404 while it
// stays in the search, as an eventually consistent index would keep it for a while (the harder case).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { JiraSimulator, ServiceNowSimulator } from '@rhx/testing';
import type { Harness } from './harness.js';
import { startBothSystemsHarness } from './jira-harness.js';
import { lifecycleApi, outcomes } from './lifecycle-helpers.js';
import { syncCycle } from './sync-harness.js';

type System = 'jira' | 'servicenow';

let h: Harness;
let jira: JiraSimulator;
let snow: ServiceNowSimulator;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ h, jira, snow, close } = await startBothSystemsHarness({ RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '2', HTTP_TIMEOUT_MS: '5000' }));
  h.startIngestWorker();
  h.startPushWorker();
  await h.startRetryWorker();
});
afterAll(() => close());

const api = lifecycleApi(() => h);

/** The records in the simulator of `system` that carry incident `id`'s dedup key of `generation`: their numbers. */
function remoteTickets(system: System, id: string, generation: number): string[] {
  if (system === 'jira') {
    const label = generation === 1 ? `rhythmx-${id}` : `rhythmx-${id}-g${generation}`;
    return jira.issues().filter((i) => (i.fields.labels as string[]).includes(label)).map((i) => i.key);
  }
  const correlation = generation === 1 ? `rhythmx:${id}` : `rhythmx:${id}:g${generation}`;
  return snow.incidents().filter((i) => i.correlation_id === correlation).map((i) => i.number);
}

const remoteIdOf = (system: System, externalId: string) =>
  system === 'jira' ? jira.issues().find((i) => i.key === externalId)!.id : snow.incidents().find((i) => i.number === externalId)!.sys_id;

/** Ingests incident `id` and pushes its ticket to `system`: the ticket's key or number. */
async function ticketed(id: string, system: System): Promise<string> {
  await api.ingested(id);
  const push = await api.push(id, system);
  expect(push.statusCode).toBe(202);
  const done = await api.settled(push.json().deliveryId, 'SUCCEEDED');
  return done.ticket.externalId as string;
}

/** Someone deletes the ticket in `system`: its status read answers 404 from now on; a sync cycle runs. */
async function vanish(system: System, externalId: string): Promise<void> {
  const remoteId = remoteIdOf(system, externalId);
  const notFound = system === 'jira'
    ? { status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} } }
    : { status: 404, body: { error: { message: 'No Record found', detail: 'Record doesn\'t exist or ACL restricts the record retrieval' }, status: 'failure' } };
  const path = system === 'jira' ? `/issue/${remoteId}` : `/incident/${remoteId}`;
  (system === 'jira' ? jira : snow).faults.next(1000, { ...notFound, method: 'GET', path });
  await syncCycle(h).run();
}

describe('a vanished ticket is replaced by the next generation', () => {
  test.each([
    ['jira', 'GEN-J'],
    ['servicenow', 'GEN-S'],
  ] as const)('%s: retired on TICKET_VANISHED; a push makes generation 2 with its own dedup key; a second push is 409', async (system, id) => {
    const first = await ticketed(id, system);
    await vanish(system, first);
    expect(await api.actions(id)).toContain('TICKET_VANISHED');
    const retired = await api.incident(id);
    expect(retired.tickets.filter((t: { system: string }) => t.system === system)).toEqual([]);
    expect(retired.retiredTickets).toEqual([expect.objectContaining({ system, externalId: first, generation: 1, reason: 'vanished' })]);

    const push = await api.push(id, system);
    expect(push.statusCode).toBe(202);
    const done = await api.settled(push.json().deliveryId, 'SUCCEEDED');
    expect(done).toMatchObject({ kind: 'create', generation: 2 });
    const second = done.ticket.externalId as string;
    expect(second).not.toBe(first);
    expect(remoteTickets(system, id, 2)).toEqual([second]);
    expect(remoteTickets(system, id, 1)).toEqual([first]);

    const view = await api.incident(id);
    expect(view.tickets).toEqual([expect.objectContaining({ system, externalId: second, generation: 2 })]);
    expect(view.retiredTickets).toEqual([expect.objectContaining({ system, externalId: first, generation: 1 })]);
    const again = await api.push(id, system);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'TICKET_EXISTS', details: expect.objectContaining({ externalId: second }) });
  }, 90_000);
});

describe('a lost create answer for generation 2', () => {
  test('the ticket was made: the retry adopts the generation-2 issue, never the vanished one', async () => {
    const first = await ticketed('GEN-DROP', 'jira');
    await vanish('jira', first);
    jira.faults.createThenFail('drop');
    const push = await api.push('GEN-DROP', 'jira');
    expect(push.statusCode).toBe(202);
    const done = await api.settled(push.json().deliveryId, 'SUCCEEDED');
    expect(outcomes(done)).toEqual(['1:UNKNOWN', '2:SUCCEEDED']);
    const made = remoteTickets('jira', 'GEN-DROP', 2);
    expect(made).toHaveLength(1);
    expect(done.ticket.externalId).toBe(made[0]);
    expect(await api.actions('GEN-DROP')).toEqual(['TICKET_CREATED', 'TICKET_VANISHED', 'TICKET_FAILED', 'TICKET_ADOPTED']);
  }, 90_000);

  test('the ticket was not made (a 500): the look-up finds no generation-2 issue and creates one, instead of adopting the vanished one still in the search', async () => {
    const first = await ticketed('GEN-500', 'jira');
    await vanish('jira', first);
    jira.faults.next(1, { status: 500, body: { errorMessages: ['Internal server error'], errors: {} }, method: 'POST', path: '/issue' });
    const push = await api.push('GEN-500', 'jira');
    expect(push.statusCode).toBe(202);
    const done = await api.settled(push.json().deliveryId, 'SUCCEEDED');
    expect(outcomes(done)).toEqual(['1:UNKNOWN', '2:SUCCEEDED']);
    const made = remoteTickets('jira', 'GEN-500', 2);
    expect(made).toHaveLength(1);
    expect(done.ticket.externalId).toBe(made[0]);
    expect(done.ticket.externalId).not.toBe(first);
    expect((await api.actions('GEN-500')).filter((a) => a !== 'TICKET_FAILED')).toEqual(['TICKET_CREATED', 'TICKET_VANISHED', 'TICKET_CREATED']);
  }, 90_000);
});
