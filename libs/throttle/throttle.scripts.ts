import type { RedisClient } from '@rhx/queue';

// Both scripts keep time only as key lifetimes (SET … PX, PTTL): the server's clock decides, never a
// worker's, and the numbers stay small (a Lua VM with 32-bit integers, such as ioredis-mock's, runs them).

/**
 * KEYS[1] pause key, KEYS[2] next-slot key; ARGV[1] slot interval in ms (0: no cap), ARGV[2] longest
 * wait the caller accepts (-1: any). Returns `{verdict, ms}`:
 * - `{'paused', p}` paused for `p` more ms; nothing reserved;
 * - `{'full', w}` the next free slot is `w` ms away, more than the caller accepts; nothing reserved;
 * - `{'slot', w}` a slot `w` ms from now is reserved for the caller (0: go now).
 * The next-slot key lives exactly until the earliest time the next call may go, so a missing key
 * means a call may go now (GCRA with a burst of one: calls at least one interval apart).
 */
const ACQUIRE_LUA = `
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then return {'paused', paused} end
local interval = tonumber(ARGV[1])
if interval <= 0 then return {'slot', 0} end
local wait = redis.call('PTTL', KEYS[2])
if wait < 0 then wait = 0 end
local maxWait = tonumber(ARGV[2])
if maxWait >= 0 and wait > maxWait then return {'full', wait} end
redis.call('SET', KEYS[2], '1', 'PX', wait + interval)
return {'slot', wait}
`;

/** KEYS[1] pause key; ARGV[1] ms. Extends the pause to at least ARGV[1] ms from now; returns the ms it now lasts. */
const PAUSE_LUA = `
local left = redis.call('PTTL', KEYS[1])
local ms = tonumber(ARGV[1])
if left >= ms then return left end
redis.call('SET', KEYS[1], '1', 'PX', ms)
return ms
`;

/** What the acquire script decided (see ACQUIRE_LUA). */
export type AcquireVerdict = 'slot' | 'paused' | 'full';

/** The throttle's commands on one ioredis connection (EVALSHA, falling back to EVAL once per connection). */
export interface ThrottleCommands {
  rhxThrottleAcquire(pauseKey: string, slotKey: string, intervalMs: number, maxWaitMs: number): Promise<[AcquireVerdict, number]>;
  rhxThrottlePause(pauseKey: string, ms: number): Promise<number>;
}

/** Defines the throttle's scripts on `redis` once (idempotent: many throttles may share one connection). */
export function throttleCommands(redis: RedisClient): ThrottleCommands {
  const commands = redis as unknown as Partial<ThrottleCommands> & RedisClient;
  if (typeof commands.rhxThrottleAcquire !== 'function') {
    redis.defineCommand('rhxThrottleAcquire', { numberOfKeys: 2, lua: ACQUIRE_LUA });
    redis.defineCommand('rhxThrottlePause', { numberOfKeys: 1, lua: PAUSE_LUA });
  }
  return commands as unknown as ThrottleCommands;
}
