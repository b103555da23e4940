import { describe, expect, test } from '@jest/globals';
import RedisMock from 'ioredis-mock';
import type { Redis } from 'ioredis';
import { SystemThrottle, ThrottleWaitTooLongError, createSystemThrottle, type SystemThrottleOptions } from './index.js';

// ioredis-mock runs the throttle's Lua (PTTL and SET … PX only; its TIME and 32-bit integers would not do).
let n = 0;
function throttle(options: Omit<SystemThrottleOptions, 'prefix'> = {}): SystemThrottle {
  n += 1;
  return new SystemThrottle(new RedisMock() as unknown as Redis, { prefix: `unit${n}_${process.pid}`, ...options });
}

async function held(promise: Promise<void>): Promise<ThrottleWaitTooLongError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ThrottleWaitTooLongError);
  return error as ThrottleWaitTooLongError;
}

describe('SystemThrottle pauses', () => {
  test('a pause holds that system only, and a caller that will not wait gets the time left', async () => {
    const t = throttle();
    await t.pause('jira', 5000);
    const error = await held(t.beforeCall('jira', { maxWaitMs: 100 }));
    expect(error).toMatchObject({ system: 'jira', reason: 'paused', maxWaitMs: 100 });
    expect(error.retryAfterMs).toBeGreaterThan(4000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(5000);
    await t.beforeCall('servicenow', { maxWaitMs: 0 });
    expect(t.throttledMs()).toEqual({ jira: 0, servicenow: 0 });
  });

  test('a pause only ever extends', async () => {
    const t = throttle();
    await t.pause('jira', 5000);
    await t.pause('jira', 1000);
    expect(await t.pausedMs('jira')).toBeGreaterThan(4000);
    await t.pause('jira', 9000);
    expect(await t.pausedMs('jira')).toBeGreaterThan(8000);
    await t.pause('jira', 0);
    await t.pause('jira', Number.NaN);
    expect(await t.pausedMs('jira')).toBeGreaterThan(8000);
  });

  test('a pause is capped at maxPauseMs', async () => {
    const t = throttle({ maxPauseMs: 2000 });
    await t.pause('servicenow', 86_400_000);
    expect(await t.pausedMs('servicenow')).toBeLessThanOrEqual(2000);
    expect(await t.pausedMs('servicenow')).toBeGreaterThan(1000);
  });

  test('a caller waits out a short pause in bounded sleeps and the wait is counted', async () => {
    const waits: [string, number][] = [];
    const t = throttle({ maxSleepMs: 50, onThrottled: (system, ms) => waits.push([system, ms]) });
    await t.pause('jira', 200);
    const started = performance.now();
    await t.beforeCall('jira');
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(t.throttledMs().jira).toBeGreaterThanOrEqual(150);
    expect(waits).toHaveLength(1);
    expect(waits[0]?.[0]).toBe('jira');
  });
});

describe('SystemThrottle request cap', () => {
  test('calls are one interval apart; a caller that will not wait takes no slot', async () => {
    const t = throttle({ maxRequestsPerSecond: { jira: 4 } });
    await t.beforeCall('jira', { maxWaitMs: 0 });
    const error = await held(t.beforeCall('jira', { maxWaitMs: 0 }));
    expect(error.reason).toBe('rate-capped');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(250);
    const started = performance.now();
    await t.beforeCall('jira');
    await t.beforeCall('jira');
    // The refused caller reserved nothing: two more slots, 250 ms apart, after the first one.
    expect(performance.now() - started).toBeGreaterThanOrEqual(250 + 200);
    await t.beforeCall('servicenow', { maxWaitMs: 0 });
    await t.beforeCall('servicenow', { maxWaitMs: 0 });
  });

  test('a pause that starts while a caller sleeps towards its slot holds it until the pause ends', async () => {
    const t = throttle({ maxRequestsPerSecond: { jira: 2 } });
    await t.beforeCall('jira');
    const started = performance.now();
    const second = t.beforeCall('jira');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.pause('jira', 800);
    await second;
    expect(performance.now() - started).toBeGreaterThanOrEqual(800);
  });

  test('createSystemThrottle caps each system from its own variable and keys under QUEUE_PREFIX', async () => {
    const config = { QUEUE_PREFIX: `unitcfg_${process.pid}`, JIRA_MAX_REQUESTS_PER_SECOND: undefined, SNOW_MAX_REQUESTS_PER_SECOND: 0.5 };
    const t = createSystemThrottle(new RedisMock() as unknown as Redis, config);
    expect(t.keys('servicenow').next).toBe(`unitcfg_${process.pid}:throttle:servicenow:next`);
    await t.beforeCall('servicenow', { maxWaitMs: 0 });
    const error = await held(t.beforeCall('servicenow', { maxWaitMs: 0 }));
    expect(error.retryAfterMs).toBeGreaterThan(1000);
    for (let i = 0; i < 5; i += 1) await t.beforeCall('jira', { maxWaitMs: 0 });
  });

  test('a cap that is not a positive number is refused', () => {
    expect(() => throttle({ maxRequestsPerSecond: { jira: 0 } })).toThrow(RangeError);
    expect(() => throttle({ maxRequestsPerSecond: { servicenow: Number.POSITIVE_INFINITY } })).toThrow(RangeError);
    expect(() => throttle({ maxRequestsPerSecond: { jira: undefined } })).not.toThrow();
  });

  test('keys are <prefix>:throttle:<system>:…, so a {rhx} prefix keeps one call in one cluster slot', () => {
    const t = new SystemThrottle(new RedisMock() as unknown as Redis, { prefix: '{rhx}' });
    expect(t.keys('jira')).toEqual({ pause: '{rhx}:throttle:jira:pause', next: '{rhx}:throttle:jira:next' });
    expect(Object.values(t.keys('servicenow')).every((k) => k.startsWith('{rhx}:throttle:servicenow:'))).toBe(true);
  });
});
