import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';

// What the tests' own Redis sets (Sentinel, Cluster) share: servers from the installed `redis-server`
// on loopback, keeping nothing on disk, and waits for them.

/** Options every test server runs with: loopback only, nothing saved, never evicting the fleet's keys. */
export const TEST_SERVER_ARGS = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'];

/** Starts `redis-server` with `args`, its output dropped; the caller kills it. */
export function spawnRedisServer(args: string[]): ChildProcess {
  return spawn('redis-server', args, { stdio: 'ignore' });
}

/** Runs `use` on a short-lived connection to one server (no reconnection, no retries). */
export async function withServer<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return await use(r);
  } finally {
    r.disconnect();
  }
}

export async function waitForPing(port: number): Promise<void> {
  await until(async () => (await withServer(port, (r) => r.ping())) === 'PONG', 20_000);
}

/** Waits until `check` holds (an error counts as not yet). */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what = 'the Redis set'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
