// Delivery retry under faults, on the real Redis and PostgreSQL with strict simulators of Jira and
// ServiceNow: 1 s base delay, 4 s cap, 5 attempts in all. Each test asserts the tickets in the
// simulator, the delivery's state and attempts as the API shows them, and the history.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { QUEUE_NAMES, jobIds } from '@rhx/queue';
import type { JiraSimulator, ServiceNowSimulator } from '@rhx/testing';
import { auth, readFixture, type Harness } from './harness.js';
import { startBothSystemsHarness } from './jira-harness.js';

const HTTP_TIMEOUT_MS = 5000;

let h: Harness;
let jira: JiraSimulator;
let snow: ServiceNowSimulator;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ h, jira, snow, close } = await startBothSystemsHarness({
    RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '4', RETRY_MAX_ATTEMPTS: '5', HTTP_TIMEOUT_MS: String(HTTP_TIMEOUT_MS),
  }));
  h.startIngestWorker();
  h.startPushWorker();
  h.startRetryWorker();
});
afterAll(() => close());

const api = async (method: 'GET' | 'POST', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });

/** Posts an incident, waits until it is ingested, and asks for its ticket in `system`. */
async function push(id: string, system: 'jira' | 'servicenow'): Promise<string> {
  expect((await api('POST', '/v1/incidents', { ...readFixture('critical-exfiltration.json'), id })).statusCode).toBe(202);
  await h.eventually(async () => (await api('GET', `/v1/incidents/${id}`)).json().status === 'ingested');
  const res = await api('POST', `/v1/incidents/${id}/tickets`, { target: system });
  expect(res.statusCode).toBe(202);
  return res.json().deliveryId as string;
}

const delivery = async (id: string) => (await api('GET', `/v1/deliveries/${id}`)).json();
const settled = (deliveryId: string, status: string, timeoutMs = 30_000) =>
  h.eventually(async () => {
    const d = await delivery(deliveryId);
    return d.status === status ? d : undefined;
  }, timeoutMs);
const jiraCreates = () => jira.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/issue'));
const jiraIssuesOf = (id: string) => jira.issues().filter((i) => (i.fields.labels as string[]).includes(`rhythmx-${id}`));
const ticketActions = async (id: string) =>
  (await api('GET', `/v1/incidents/${id}/history?limit=200`)).json().items.map((r: { action: string }) => r.action).filter((a: string) => /^TICKET_(CREATED|ADOPTED)$/.test(a));

describe('retryable failures', () => {
  test('503, 503, 201: one ticket, three attempts, waits of 1 s then 2 s', async () => {
    jira.faults.next(2, { status: 503, method: 'POST', path: '/issue' });
    const deliveryId = await push('RF-503', 'jira');
    const d = await settled(deliveryId, 'SUCCEEDED');
    expect(jiraIssuesOf('RF-503')).toHaveLength(1);
    expect(d.attempts.map((a: { number: number; outcome: string; httpStatus: number | null; waitMs: number | null; waitReason: string | null }) =>
      [a.number, a.outcome, a.httpStatus, a.waitMs, a.waitReason])).toEqual([
      // A 503 says nothing was made: the outcome is known, and the retry creates without a look-up first.
      [1, 'FAILED', 503, 1000, 'backoff'],
      [2, 'FAILED', 503, 2000, 'backoff'],
      [3, 'SUCCEEDED', null, null, null],
    ]);
    // Never sooner than the wait chosen (lower bounds only: a loaded machine may be later).
    const gap = (a: number, b: number) => Date.parse(d.attempts[b].startedAt) - Date.parse(d.attempts[a].finishedAt);
    expect(gap(0, 1)).toBeGreaterThanOrEqual(950);
    expect(gap(1, 2)).toBeGreaterThanOrEqual(1950);
    expect(await ticketActions('RF-503')).toEqual(['TICKET_CREATED']);
  });

  test('the ticket is made but the answer is lost: adopted on the retry, never made twice', async () => {
    jira.faults.createThenFail('drop');
    const deliveryId = await push('RF-LOST', 'jira');
    const d = await settled(deliveryId, 'SUCCEEDED');
    expect(jiraIssuesOf('RF-LOST')).toHaveLength(1);
    expect(d.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['UNKNOWN', 'SUCCEEDED']);
    expect(await ticketActions('RF-LOST')).toEqual(['TICKET_ADOPTED']);
  });

  // Fault test 2: the remote makes the ticket, then answers only after the client gave up. The retry must
  // look for it (findExisting) before creating: a retry that simply created again would make a second one.
  test.each([
    ['jira', 'RF-SLOW-J'],
    ['servicenow', 'RF-SLOW-S'],
  ] as const)('%s creates the ticket and holds the answer past HTTP_TIMEOUT_MS: one ticket, adopted on the retry', async (system, id) => {
    const sim = system === 'jira' ? jira : snow;
    let answered!: () => void;
    const lateAnswer = new Promise<void>((r) => (answered = r));
    // Held until the retry has adopted the ticket (or the test gives up), then answered to nobody.
    sim.faults.createThenFail('hold', { ms: HTTP_TIMEOUT_MS + 500, until: lateAnswer });
    try {
      const deliveryId = await push(id, system);
      const d = await settled(deliveryId, 'SUCCEEDED');
      const made = system === 'jira'
        ? jiraIssuesOf(id).map((i) => i.key)
        : snow.incidents().filter((i) => i.correlation_id === `rhythmx:${id}`).map((i) => i.number);
      expect(made).toHaveLength(1);
      expect(d.ticket).toMatchObject({ externalId: made[0] });
      const creates = sim.requests().filter((r) => r.method === 'POST' && /\/(issue|incident)$/.test(r.path) && r.body.includes(id));
      expect(creates).toHaveLength(1);
      expect(d.attempts.map((a: { number: number; outcome: string; code: string | null; waitMs: number | null }) => [a.number, a.outcome, a.code, a.waitMs])).toEqual([
        [1, 'UNKNOWN', 'TIMEOUT', 1000],
        [2, 'SUCCEEDED', null, null],
      ]);
      // The first attempt gave up after the HTTP timeout, not sooner.
      expect(Date.parse(d.attempts[0].finishedAt) - Date.parse(d.attempts[0].startedAt)).toBeGreaterThanOrEqual(HTTP_TIMEOUT_MS - 100);
      const history = (await api('GET', `/v1/incidents/${id}/history?limit=200`)).json().items.map((r: { action: string }) => r.action);
      expect(history.filter((a: string) => a.startsWith('TICKET_'))).toEqual(['TICKET_FAILED', 'TICKET_ADOPTED']);
    } finally {
      answered();
    }
  });

  test('401 twice in a row: the delivery stops (not every attempt spent on a dead credential), the integration says why; a re-drive once fixed makes the ticket', async () => {
    jira.faults.next(2, { status: 401, body: { errorMessages: ['Token revoked.'] }, method: 'POST', path: '/issue' });
    const deliveryId = await push('RF-401-TWICE', 'jira');
    const d = await settled(deliveryId, 'FAILED');
    expect(d.attempts.map((a: { code: string; httpStatus: number }) => [a.code, a.httpStatus])).toEqual([['AUTHENTICATION', 401], ['AUTHENTICATION', 401]]);
    expect(d).toMatchObject({ lastErrorCode: 'AUTHENTICATION', lastError: expect.stringContaining('Token revoked.') });
    const health = (await api('GET', '/v1/integrations')).json().find((s: { system: string }) => s.system === 'jira').health;
    expect(health).toMatchObject({ ok: false, message: expect.stringContaining('Token revoked.') });
    expect((await api('POST', `/v1/deliveries/${deliveryId}/retry`)).statusCode).toBe(202);
    const again = await settled(deliveryId, 'SUCCEEDED');
    expect(again.attempts).toHaveLength(3);
    expect(jiraIssuesOf('RF-401-TWICE')).toHaveLength(1);
  });

  test('401 then the credentials work again: retried, succeeds; the integration is unhealthy with the reason meanwhile', async () => {
    jira.faults.next(1, { status: 401, body: { errorMessages: ['You are not authenticated.'] }, method: 'POST', path: '/issue' });
    const deliveryId = await push('RF-401', 'jira');
    const jiraHealth = async () => (await api('GET', '/v1/integrations')).json().find((s: { system: string }) => s.system === 'jira').health;
    const sick = await h.eventually(async () => {
      const health = await jiraHealth();
      return health.ok ? undefined : health;
    });
    expect(sick).toMatchObject({ ok: false, message: expect.stringContaining('You are not authenticated.'), since: expect.any(String) });
    const d = await settled(deliveryId, 'SUCCEEDED');
    expect(d.attempts[0]).toMatchObject({ outcome: 'FAILED', code: 'AUTHENTICATION', httpStatus: 401, message: expect.stringContaining('You are not authenticated.') });
    expect(d.attempts).toHaveLength(2);
    expect(jiraIssuesOf('RF-401')).toHaveLength(1);
    await h.eventually(async () => (await jiraHealth()).ok);
  });

  test('429 with Retry-After: 3 holds every call to Jira for 3 s, another delivery’s too, and leaves ServiceNow alone', async () => {
    jira.faults.next(1, { status: 429, retryAfter: 3, method: 'POST', path: '/issue' });
    const jiraDelivery = await push('RF-429', 'jira');
    const limited = await h.eventually(async () => jira.requests().find((r) => r.status === 429));
    const [otherJira, snowDelivery] = await Promise.all([push('RF-429-B', 'jira'), push('RF-429-SNOW', 'servicenow')]);
    const snowDone = await settled(snowDelivery, 'SUCCEEDED');
    const d = await settled(jiraDelivery, 'SUCCEEDED');
    await settled(otherJira, 'SUCCEEDED');
    expect(d.attempts[0]).toMatchObject({ httpStatus: 429, waitMs: 3000, waitReason: 'retry-after' });
    const nextJiraCall = jira.requests().find((r) => r.at > limited.at);
    expect(nextJiraCall!.at - limited.at).toBeGreaterThanOrEqual(2900);
    // ServiceNow's ticket did not wait for Jira's pause.
    expect(Date.parse(snowDone.updatedAt)).toBeLessThan(limited.at + 2900);
    expect(jiraIssuesOf('RF-429')).toHaveLength(1);
    expect(jiraIssuesOf('RF-429-B')).toHaveLength(1);
    const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(Number(/rhx_throttled_seconds\{system="jira"\} ([\d.]+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/rhx_throttled_seconds\{system="servicenow"\} 0\n/);
  });
});

describe('failures that do not get better', () => {
  test('400 (unknown project field): no retry; FAILED with the remote’s own message in the API', async () => {
    jira.faults.next(1, { status: 400, body: { errorMessages: [], errors: { project: 'project is required' } }, method: 'POST', path: '/issue' });
    const deliveryId = await push('RF-400', 'jira');
    const d = await settled(deliveryId, 'FAILED');
    expect(d).toMatchObject({ lastErrorCode: 'INVALID_REQUEST', lastError: expect.stringContaining('project: project is required') });
    expect(d.attempts).toHaveLength(1);
    expect(jiraIssuesOf('RF-400')).toHaveLength(0);
    await h.eventually(async () => (await h.queues.get(QUEUE_NAMES.ticketPush).getJobState(jobIds.ticketPush(deliveryId))) === 'failed');
  });

  test('always 500: exactly RETRY_MAX_ATTEMPTS attempts, FAILED, in the failed set; a re-drive after recovery makes one ticket', async () => {
    jira.faults.next(5, { status: 500, method: 'POST', path: '/issue' });
    const deliveryId = await push('RF-500', 'jira');
    const d = await settled(deliveryId, 'FAILED', 40_000);
    expect(d.attempts.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([500, 500, 500, 500, 500]);
    expect(d.attempts.map((a: { waitMs: number | null }) => a.waitMs)).toEqual([1000, 2000, 4000, 4000, null]);
    const retryJob = jobIds.ticketRetry(deliveryId);
    await h.eventually(async () => (await h.queues.get(QUEUE_NAMES.ticketRetry).getJobState(retryJob)) === 'failed');
    const listed = (await api('GET', '/v1/deliveries?status=FAILED&system=jira')).json().items.map((x: { id: string }) => x.id);
    expect(listed).toContain(deliveryId);
    expect((await api('GET', '/v1/deliveries?status=FAILED&system=jira&kind=create')).json().items.map((x: { id: string }) => x.id)).toContain(deliveryId);
    expect((await api('GET', '/v1/deliveries?status=FAILED&kind=update')).json().items.map((x: { id: string }) => x.id)).not.toContain(deliveryId);
    expect((await api('GET', '/v1/deliveries?kind=delete')).statusCode).toBe(400);
    expect(jiraIssuesOf('RF-500')).toHaveLength(0);

    expect((await api('POST', `/v1/deliveries/${deliveryId}/retry`)).statusCode).toBe(202);
    const after = await settled(deliveryId, 'SUCCEEDED');
    expect(jiraIssuesOf('RF-500')).toHaveLength(1);
    expect(after.attempts.at(-1)).toMatchObject({ number: 6, outcome: 'SUCCEEDED' });
  });
});

test('the same incident posted 10 times at once with auto-push to both systems: one ticket per system', async () => {
  const put = await h.app.inject({ method: 'PUT', url: '/v1/auto-push', headers: auth, payload: { enabled: true, minSeverity: 'HIGH', targets: ['jira', 'servicenow'] } });
  expect(put.statusCode).toBe(200);
  const body = { ...readFixture('critical-exfiltration.json'), id: 'RF-TEN' };
  const answers = await Promise.all(Array.from({ length: 10 }, () => api('POST', '/v1/incidents', body)));
  expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
  await h.eventually(async () => (await api('GET', '/v1/incidents/RF-TEN')).json().tickets.length === 2);
  expect(jiraIssuesOf('RF-TEN')).toHaveLength(1);
  expect(snow.incidents().filter((i) => i.correlation_id === 'rhythmx:RF-TEN')).toHaveLength(1);
  expect(jiraCreates().filter((r) => r.body.includes('rhythmx-RF-TEN'))).toHaveLength(1);
});
