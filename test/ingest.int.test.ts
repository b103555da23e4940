import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { enqueueIncident } from '@rhx/producer';
import { incidentSchema } from '@rhx/domain';
import { auth, fixtureNames, invalidFixtureNames, queueTotals, readFixture, readRaw, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.startIngestWorker();
});
afterAll(() => h.close());

const post = (payload: string | object, headers: Record<string, string> = auth) =>
  h.app.inject({ method: 'POST', url: '/v1/incidents', headers: { 'content-type': 'application/json', ...headers }, payload });

async function ingested(id: string) {
  return h.eventually(async () => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/incidents/${encodeURIComponent(id)}`, headers: auth });
    const body = res.json();
    return res.statusCode === 200 && body.status === 'ingested' ? body : undefined;
  });
}

// The facts a reader checks: every field of the fixture comes back as sent.
function expectSameFacts(view: Record<string, unknown>, fixture: Record<string, unknown>) {
  expect(view).toMatchObject({ ...fixture, origin: fixture.origin ?? 'auto' });
}

describe('API path: POST → PostgreSQL (outbox) → queue → worker', () => {
  test.each(fixtureNames())('%s is accepted, ingested and reads back with the same facts', async (name) => {
    const fixture = readFixture(name);
    const res = await post(readRaw(name));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ incidentId: fixture.id, status: 'accepted' });
    const view = await ingested(fixture.id);
    expectSameFacts(view, fixture);
    const score = (fixture.risk as { score: number }).score;
    expect(view.severity).toBe(score >= 85 ? 'CRITICAL' : score >= 70 ? 'HIGH' : score >= 40 ? 'MEDIUM' : 'LOW');
    expect(view.analystStatus).toBe('NEW');
    const history = (await h.app.inject({ method: 'GET', url: `/v1/incidents/${fixture.id}/history`, headers: auth })).json().items;
    expect(history.map((r: { action: string }) => r.action)).toEqual(['CREATED', 'AUTO_PUSH']);
  });
});

describe('producer-library path: enqueue → worker stores', () => {
  test.each(fixtureNames())('%s enqueued by the producer library is stored with the same facts', async (name) => {
    const fixture = { ...readFixture(name), id: `P-${readFixture(name).id}` };
    await enqueueIncident(h.redis, fixture, { prefix: h.config.QUEUE_PREFIX });
    const view = await ingested(fixture.id);
    expectSameFacts(view, fixture);
  });

  test('the producer library takes a Redis URL too, and refuses an invalid incident naming the field', async () => {
    const fixture = { ...readFixture('low-minimal.json'), id: 'P-URL-1' };
    await enqueueIncident(h.config.REDIS_URL, fixture, { prefix: h.config.QUEUE_PREFIX });
    await ingested('P-URL-1');
    await expect(enqueueIncident(h.redis, { ...fixture, id: 'P-BAD', risk: { score: 'high' } }, { prefix: h.config.QUEUE_PREFIX }))
      .rejects.toMatchObject({ problems: [{ path: 'risk.score' }] });
  });
});

describe('refusals', () => {
  let fresh: Harness;
  beforeAll(async () => (fresh = await startHarness()));
  afterAll(() => fresh.close());
  const postFresh = (payload: string, headers: Record<string, string> = auth) =>
    fresh.app.inject({ method: 'POST', url: '/v1/incidents', headers: { 'content-type': 'application/json', ...headers }, payload });

  const expectedPaths: Record<string, string> = {
    'actor-type-unknown.json': 'actor.type',
    'date-not-iso.json': 'createdAt',
    'id-path-traversal.json': 'id',
    'missing-id.json': 'id',
    'rules-not-array.json': 'rules',
    'score-as-string.json': 'risk.score',
    'score-out-of-range.json': 'risk.score',
    'timeline-reversed.json': 'timeline.lastAlertAt',
  };

  test.each(invalidFixtureNames())('invalid/%s gets 400 naming the field; nothing stored or queued', async (name) => {
    const res = await postFresh(readRaw(`invalid/${name}`));
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.message).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    if (name === 'not-json.json') {
      expect(error.code).toBe('MALFORMED_JSON');
    } else {
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.details.map((d: { path: string }) => d.path)).toContain(expectedPaths[name]);
    }
    expect(await fresh.prisma.incident.count()).toBe(0);
    expect(await queueTotals(fresh.queues)).toBe(0);
  });

  test('a body over 2 MB gets 413 and nothing is stored', async () => {
    const big = JSON.stringify({ ...readFixture('low-minimal.json'), notes: 'x'.repeat(2 * 1024 * 1024) });
    const res = await postFresh(big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await fresh.prisma.incident.count()).toBe(0);
  });

  test('every problem is listed at once', async () => {
    const res = await postFresh(JSON.stringify({ id: '../x', createdAt: 'yesterday', actor: { name: '', type: 'robot' }, risk: { score: 101 } }));
    const paths = res.json().error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['actor.name', 'actor.type', 'createdAt', 'id', 'risk.score']);
  });

  test('/v1 needs the bearer token', async () => {
    const res = await postFresh(readRaw('low-minimal.json'), {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHORIZED');
    const wrong = await fresh.app.inject({ method: 'GET', url: '/v1/auto-push', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(await fresh.prisma.incident.count()).toBe(0);
  });

  test('an unknown incident is 404 in the error envelope', async () => {
    const res = await fresh.app.inject({ method: 'GET', url: '/v1/incidents/NOPE-1', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'INCIDENT_NOT_FOUND', message: 'incident NOPE-1 is not known' } });
  });
});

describe('duplicates change nothing', () => {
  beforeAll(async () => {
    // Auto-push on, to both targets, both configured and enabled: duplicates must not add deliveries.
    await h.integrations.write('jira', { baseUrl: 'http://127.0.0.1:1', projectKey: 'SEC', email: 'a@b.c', apiToken: 'tok', deployment: 'cloud' }, true);
    await h.integrations.write('servicenow', { instanceUrl: 'http://127.0.0.1:1', username: 'u', password: 'p' }, true);
    await h.app.inject({ method: 'PUT', url: '/v1/auto-push', headers: auth, payload: { enabled: true, minSeverity: 'CRITICAL', targets: ['jira', 'servicenow'] } });
  });

  async function counts(id: string) {
    return {
      incidents: await h.prisma.incident.count({ where: { id } }),
      created: await h.prisma.incidentHistory.count({ where: { incidentId: id, action: 'CREATED' } }),
      deliveries: await h.prisma.delivery.groupBy({ by: ['system'], where: { incidentId: id }, _count: true }),
    };
  }

  test('a duplicate POST is 200 duplicate and changes nothing', async () => {
    const body = { ...readFixture('critical-exfiltration.json'), id: 'DUP-1' };
    expect((await post(body)).statusCode).toBe(202);
    await ingested('DUP-1');
    const again = await post(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ incidentId: 'DUP-1', status: 'duplicate' });
    await enqueueIncident(h.redis, body, { prefix: h.config.QUEUE_PREFIX }); // and once more via the producer
    await new Promise((r) => setTimeout(r, 500));
    const c = await counts('DUP-1');
    expect(c.incidents).toBe(1);
    expect(c.created).toBe(1);
    expect(c.deliveries.map((d) => [d.system, d._count]).sort()).toEqual([['jira', 1], ['servicenow', 1]]);
  });

  test('ten concurrent identical POSTs: one incident, one history row, one delivery per target', async () => {
    const body = JSON.stringify({ ...readFixture('critical-credential-access.json'), id: 'DUP:10' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body)));
    expect(answers.filter((a) => a.statusCode === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(9);
    await ingested('DUP:10');
    // and ten concurrent producer enqueues of the same incident on top
    await Promise.all(Array.from({ length: 10 }, () => enqueueIncident(h.redis, JSON.parse(body), { prefix: h.config.QUEUE_PREFIX })));
    await new Promise((r) => setTimeout(r, 500));
    const c = await counts('DUP:10');
    expect(c).toEqual({ incidents: 1, created: 1, deliveries: expect.any(Array) });
    expect(c.deliveries.map((d) => [d.system, d._count]).sort()).toEqual([['jira', 1], ['servicenow', 1]]);
    const pushJobs = await h.queues.get('ticket-push').getJobCounts('waiting');
    expect(pushJobs.waiting).toBeGreaterThanOrEqual(2);
  });
});

test('one ingest statement with the same event twice claims it once', async () => {
  const incident = incidentSchema.parse({ ...readFixture('low-minimal.json'), id: 'BATCH-DUP' });
  const cmd = { incidentId: 'BATCH-DUP', incident, severity: 'LOW' as const, source: 'producer' as const, autoPush: { targets: ['jira' as const], record: {} } };
  const results = await h.incidents.ingestMany([cmd, { ...cmd }, { ...cmd, incidentId: 'BATCH-OTHER', incident: { ...incident, id: 'BATCH-OTHER' } }]);
  expect(results.map((r) => r.claimed)).toEqual([true, false, true]);
  expect(results[0]!.deliveries).toHaveLength(1);
  expect(results[1]!.deliveries).toHaveLength(0);
  expect(await h.prisma.incidentHistory.count({ where: { incidentId: 'BATCH-DUP', action: 'CREATED' } })).toBe(1);
  expect((await h.incidents.ingestMany([cmd]))[0]!.claimed).toBe(false);
});

test('a finished job left in Redis from an earlier life of the same id does not swallow a new accept', async () => {
  const incident = { ...readFixture('low-minimal.json'), id: 'STALE-1' };
  await enqueueIncident(h.redis, incident, { prefix: h.config.QUEUE_PREFIX });
  await ingested('STALE-1');
  expect(await h.queues.get('incident-events').getJobState('incident-created.STALE-1')).toBe('completed');
  await h.prisma.incident.delete({ where: { id: 'STALE-1' } }); // a database restored from an older backup
  expect((await post(incident)).statusCode).toBe(202);
  const view = await ingested('STALE-1'); // promptly, by the worker, not a minute later by the sweeper
  expect(view.status).toBe('ingested');
});

describe('outbox: a lost Redis loses nothing the API accepted', () => {
  test('an incident stored but never enqueued is enqueued by the sweeper and ingested', async () => {
    const fixture = { ...readFixture('medium-recon.json'), id: 'OUTBOX-1' };
    // What a crash between the INSERT and the enqueue (or a Redis that lost the job) leaves behind:
    expect(await h.incidents.storeAccepted(incidentSchema.parse(fixture), 'MEDIUM')).toEqual(expect.any(Number));
    const sweeper = h.sweeper(0);
    expect(await sweeper.sweepOnce()).toBeGreaterThanOrEqual(1);
    const view = await ingested('OUTBOX-1');
    expect(view.status).toBe('ingested');
    expect(await sweeper.sweepOnce()).toBe(0);
  });

  test('a pending delivery whose job was lost is enqueued again', async () => {
    await ingested('DUP-1');
    const pushQueue = h.queues.get('ticket-push');
    await pushQueue.obliterate({ force: true }); // Redis lost every ticket-push job
    const revived = await h.sweeper(0).sweepOnce();
    expect(revived).toBeGreaterThanOrEqual(2);
    const pending = await h.prisma.delivery.findMany({ where: { status: 'PENDING' } });
    for (const d of pending) expect(await pushQueue.getJobState(`delivery.${d.id}`)).toBe('waiting');
  });
});

describe('operators', () => {
  test('auto-push settings read and write, with field errors', async () => {
    const put = await h.app.inject({ method: 'PUT', url: '/v1/auto-push', headers: auth, payload: { enabled: true, minSeverity: 'HIGH', targets: ['servicenow'] } });
    expect(put.statusCode).toBe(200);
    const got = (await h.app.inject({ method: 'GET', url: '/v1/auto-push', headers: auth })).json();
    expect(got).toEqual({ enabled: true, minSeverity: 'HIGH', targets: ['servicenow'] });
    const bad = await h.app.inject({ method: 'PUT', url: '/v1/auto-push', headers: auth, payload: { enabled: 'yes', minSeverity: 'SEVERE', targets: ['email'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['enabled', 'minSeverity', 'targets[0]']);
  });

  test('Bull Board lists the queues behind HTTP Basic', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/admin/queues/api/queues' })).statusCode).toBe(401);
    const basic = `Basic ${Buffer.from('operator:board-pass-123').toString('base64')}`;
    const res = await h.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { authorization: basic } });
    expect(res.statusCode).toBe(200);
    expect(res.json().queues.map((q: { name: string }) => q.name).sort()).toEqual(['incident-events', 'ticket-push', 'ticket-retry', 'ticket-sync']);
  });

  test('metrics show ingest counters and queue depths; readiness checks both stores', async () => {
    const text = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/rhx_incidents_received_total\{outcome="accepted"\} [1-9]/);
    expect(text).toMatch(/rhx_incidents_received_total\{outcome="duplicate"\} [1-9]/);
    expect(text).toMatch(/rhx_queue_jobs\{queue="incident-events",state="completed"\} \d+/);
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toEqual({ status: 'ready', redis: 'ok', postgres: 'ok' });
  });
});
