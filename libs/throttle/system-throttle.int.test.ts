import { afterAll, describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL, uniqueName } from '@rhx/testing';
import { SystemThrottle, type SystemThrottleOptions } from './index.js';

// Two connections and two throttles stand for two worker processes; only lower bounds on time are asserted.
const prefix = uniqueName('thr');
const connections: Redis[] = [];

function worker(options: Omit<SystemThrottleOptions, 'prefix'> = {}, stem = prefix): SystemThrottle {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  connections.push(redis);
  return new SystemThrottle(redis, { prefix: stem, ...options });
}

afterAll(async () => {
  const [redis] = connections;
  const keys = redis ? await redis.keys(`${prefix}*`) : [];
  if (redis && keys.length > 0) await redis.del(...keys);
  await Promise.all(connections.map((c) => c.quit()));
});

describe('SystemThrottle across two workers on the real Redis', () => {
  test('a pause by one worker delays the other’s Jira calls by the pause, not its ServiceNow calls', async () => {
    const stem = `${prefix}_pause`;
    const [a, b] = [worker({}, stem), worker({}, stem)];
    const started = performance.now();
    await a.pause('jira', 1500);
    await b.beforeCall('servicenow', { maxWaitMs: 0 });
    await b.beforeCall('jira');
    // Redis expires the pause 1500 ms after it was set, which was after `started`.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1490);
    expect(b.throttledMs().jira).toBeGreaterThan(0);
    expect(b.throttledMs().servicenow).toBe(0);
    expect(await a.pausedMs('jira')).toBe(0);
  });

  test('a cap of N/s holds across both workers: M calls take at least (M/N - 1) s', async () => {
    const stem = `${prefix}_cap`;
    const perSecond = 5;
    const calls = 12;
    const [a, b] = [worker({ maxRequestsPerSecond: { jira: perSecond } }, stem), worker({ maxRequestsPerSecond: { jira: perSecond } }, stem)];
    const started = performance.now();
    await Promise.all(Array.from({ length: calls }, (_, i) => (i % 2 === 0 ? a : b).beforeCall('jira')));
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeGreaterThanOrEqual((calls / perSecond - 1) * 1000);
    // Slots are one interval apart in Redis's time, so the last is (M - 1) intervals after the first.
    expect(elapsedMs).toBeGreaterThanOrEqual(((calls - 1) * 1000) / perSecond - 10);
    expect(a.throttledMs().jira).toBeGreaterThan(0);
    expect(b.throttledMs().jira).toBeGreaterThan(0);
  });

  test('a cap on Jira leaves ServiceNow uncapped, and a pause ends for everyone at the same moment', async () => {
    const stem = `${prefix}_mixed`;
    const [a, b] = [worker({ maxRequestsPerSecond: { jira: 1 } }, stem), worker({ maxRequestsPerSecond: { jira: 1 } }, stem)];
    await a.beforeCall('jira');
    for (let i = 0; i < 20; i += 1) await (i % 2 === 0 ? a : b).beforeCall('servicenow', { maxWaitMs: 0 });
    await b.pause('servicenow', 300);
    const pauseA = await a.pausedMs('servicenow');
    expect(pauseA).toBeGreaterThan(0);
    expect(pauseA).toBeLessThanOrEqual(300);
    await expect(b.beforeCall('jira', { maxWaitMs: 0 })).rejects.toMatchObject({ reason: 'rate-capped', system: 'jira' });
  });
});
