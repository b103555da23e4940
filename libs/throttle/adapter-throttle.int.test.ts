import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { JiraAdapter, ThrottledCallError, jiraConfigSchema, type CallThrottle } from '@rhx/adapters';
import { TEST_REDIS_URL, uniqueName } from '@rhx/testing';
import { adapterThrottle, createSystemThrottle } from './index.js';

const prefix = uniqueName('thr_adapter');
const ISSUE = 'https://acme.atlassian.net/rest/api/3/issue/10042';
const REF = { system: 'jira' as const, externalId: 'SEC-42', remoteId: '10042', url: '' };
const config = { QUEUE_PREFIX: prefix, JIRA_MAX_REQUESTS_PER_SECOND: undefined, SNOW_MAX_REQUESTS_PER_SECOND: undefined };
const connections: Redis[] = [];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(async () => {
  server.close();
  const keys = await connections[0]!.keys(`${prefix}:*`);
  if (keys.length > 0) await connections[0]!.del(...keys);
  await Promise.all(connections.map((c) => c.quit()));
});

function workerThrottle(maxWaitMs?: number): CallThrottle {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  connections.push(redis);
  return adapterThrottle(createSystemThrottle(redis, config), maxWaitMs === undefined ? {} : { maxWaitMs });
}

function jira(throttle: CallThrottle): JiraAdapter {
  const settings = { deployment: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'a@b.test', apiToken: 't', projectKey: 'SEC' };
  return new JiraAdapter(jiraConfigSchema.parse(settings), { httpTimeoutMs: 2000, throttle });
}

describe('a 429 seen by one worker’s adapter holds every worker’s Jira calls', () => {
  test('the other worker waits out Retry-After, or gives up unsent when it may not wait that long', async () => {
    const seen: number[] = [];
    let answered429 = false;
    server.use(
      http.get(ISSUE, () => {
        seen.push(performance.now());
        if (answered429) return HttpResponse.json({ id: '10042', key: 'SEC-42', fields: { status: { name: 'Open', statusCategory: { key: 'new' } } } });
        answered429 = true;
        return HttpResponse.json({}, { status: 429, headers: { 'retry-after': '1' } });
      }),
    );
    const first = jira(workerThrottle());
    const impatient = jira(workerThrottle(200));
    const patient = jira(workerThrottle(5000));
    await expect(first.readStatus(REF)).rejects.toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429, retryAfterMs: 1000 });
    const pausedAt = seen[0]!;
    const refused = await impatient.readStatus(REF).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(ThrottledCallError);
    expect(refused).toMatchObject({ reason: 'paused', retryable: true });
    expect((refused as ThrottledCallError).retryAfterMs).toBeGreaterThan(200);
    expect(seen).toHaveLength(1);
    await patient.readStatus(REF);
    expect(seen).toHaveLength(2);
    expect(seen[1]! - pausedAt).toBeGreaterThanOrEqual(990);
  });
});
