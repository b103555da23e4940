import { describe, expect, test } from '@jest/globals';
import RedisMock from 'ioredis-mock';
import type { RedisClient } from '@rhx/queue';
import { ConsoleSessions } from './console-session.js';

// CONSOLE_SESSION_HOURS is the idle limit (Redis's key lifetime, restarted by each read);
// CONSOLE_SESSION_MAX_HOURS ends a session that long after sign-in, however busy (issue 18).
const HOUR = 3_600_000;

function sessions(now: { t: number }) {
  const redis = new RedisMock() as unknown as RedisClient;
  return { redis, store: new ConsoleSessions(redis, `t${Math.random()}`, 8 * HOUR, 24 * HOUR, () => now.t) };
}

describe('a console session’s absolute lifetime', () => {
  test('a session read all day long still ends 24 h after its sign-in, and its key is gone', async () => {
    const now = { t: Date.parse('2026-12-04T08:00:00Z') };
    const { redis, store } = sessions(now);
    await store.create('id-1', { user: 'alice', since: now.t });
    for (let h = 1; h < 24; h++) {
      now.t += HOUR;
      await expect(store.read('id-1')).resolves.toMatchObject({ user: 'alice' });
    }
    now.t += HOUR;
    await expect(store.read('id-1')).resolves.toBeUndefined();
    expect(await redis.keys('*')).toEqual([]);
  });

  test('the notice taken keeps the sign-in time (a flash never restarts the lifetime)', async () => {
    const now = { t: Date.parse('2026-12-04T08:00:00Z') };
    const { store } = sessions(now);
    await store.create('id-2', { user: 'bob', since: now.t });
    const session = (await store.read('id-2'))!;
    await store.setFlash('id-2', session, { kind: 'ok', text: 'saved' });
    await store.takeFlash('id-2', (await store.read('id-2'))!);
    now.t += 23 * HOUR;
    await expect(store.read('id-2')).resolves.toEqual({ user: 'bob', since: now.t - 23 * HOUR });
    now.t += HOUR;
    await expect(store.read('id-2')).resolves.toBeUndefined();
  });

  test('a session stored without a sign-in time (before this version) is not honoured', async () => {
    const now = { t: Date.now() };
    const { redis, store } = sessions(now);
    await store.create('id-3', { user: 'carol', since: now.t });
    const [key] = await redis.keys('*');
    await redis.set(key!, JSON.stringify({ user: 'carol' }));
    await expect(store.read('id-3')).resolves.toBeUndefined();
  });
});
