// Bad input never takes good input down: text PostgreSQL cannot store is refused naming its field,
// and a statement shared by many items that fails anyway fails only the item that caused it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GroupCommit, type IngestCommand } from '@rhx/db';
import { InvalidInputError, incidentSchema } from '@rhx/domain';
import { enqueueIncident } from '@rhx/producer';
import { QUEUE_NAMES } from '@rhx/queue';
import { auth, readFixture, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const incident = (id: string, over: Record<string, unknown> = {}) => ({ ...readFixture('critical-credential-access.json'), id, ...over });

describe('text PostgreSQL cannot store', () => {
  test.each([
    ['a NUL in the actor name', { actor: { name: 'alice\u0000', type: 'user' } }, 'actor.name'],
    ['a lone high surrogate in the notes', { notes: 'broken \uD83D text' }, 'notes'],
    ['a lone low surrogate in a rule sample', { rules: [{ name: 'r', severity: 'high', count: 1, sampleEvent: { detail: 'x\uDE00' } }] }, 'rules[0].sampleEvent.detail'],
  ])('%s is refused with 400 naming the field, amid 30 valid incidents sent at the same time', async (_what, bad, path) => {
    const stem = path.replace(/\W/g, '');
    const posts = Array.from({ length: 30 }, (_, i) => h.app.inject({ method: 'POST', url: '/v1/incidents', headers: auth, payload: incident(`PZ-${stem}-${i}`) }));
    posts.splice(13, 0, h.app.inject({ method: 'POST', url: '/v1/incidents', headers: auth, payload: incident(`PZ-${stem}-bad`, bad) }));
    const answers = await Promise.all(posts);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array(30).fill(202), 400]);
    const refused = answers[13]!.json();
    expect(refused.error.details).toEqual([{ path, message: expect.stringContaining('NUL') }]);
    expect(await h.prisma.incident.count({ where: { id: { startsWith: `PZ-${stem}-` } } })).toBe(30);
  });

  test('a well-formed surrogate pair (an emoji) is fine', () => {
    expect(incidentSchema.safeParse(incident('PZ-emoji', { notes: 'ok 😀' })).success).toBe(true);
  });

  test('the producer library refuses it naming the field and queues nothing', async () => {
    const queue = h.queues.get(QUEUE_NAMES.incidentEvents);
    const before = await queue.count();
    const error = await enqueueIncident(h.redis, incident('PZ-prod', { campaignId: 'c\u0000' }), { prefix: h.config.QUEUE_PREFIX }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems.map((p) => p.path)).toEqual(['campaignId']);
    expect(await queue.count()).toBe(before);
  });
});

test('a shared ingest statement that PostgreSQL refuses fails only the bad event: 39 good ones are stored', async () => {
  // Past the schema (as a job written by hand onto the queue would be): the database itself refuses it.
  const batcher = new GroupCommit((cmds: IngestCommand[]) => h.incidents.ingestMany(cmds));
  const command = (id: string, notes?: string): IngestCommand => ({
    incidentId: id,
    incident: { ...incidentSchema.parse(incident(id)), ...(notes ? { notes } : {}) },
    severity: 'CRITICAL',
    source: 'producer',
    autoPush: { targets: [], record: {} },
  });
  const cmds = Array.from({ length: 39 }, (_, i) => command(`PB-${i}`));
  cmds.splice(20, 0, command('PB-poison', 'nul \u0000 here'));
  const results = await Promise.allSettled(cmds.map((c) => batcher.submit(c)));
  expect(results.filter((r) => r.status === 'fulfilled' && r.value.claimed)).toHaveLength(39);
  expect(results[20]!.status).toBe('rejected');
  expect(await h.prisma.incident.count({ where: { id: { startsWith: 'PB-' } } })).toBe(39);
});
