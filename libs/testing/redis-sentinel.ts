import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { TEST_SERVER_ARGS, spawnRedisServer, until, waitForPing, withServer } from './redis-servers.js';

/**
 * Replicated Redis of the test's own on loopback (issue 17): a primary, a replica and three Sentinels,
 * from the installed `redis-server`; never the machine's shared Redis. `killPrimary` SIGKILLs whichever
 * server is primary now; the Sentinels promote the replica within a few seconds.
 */
export interface RedisSentinelSet {
  /** `redis+sentinel://127.0.0.1:<s1>,…/<name>` for REDIS_URL. */
  url: string;
  name: string;
  sentinelPorts: number[];
  /** The port of the server the Sentinels name as primary now. */
  primaryPort(): Promise<number>;
  /** SIGKILLs the current primary; resolves with its port once the Sentinels name another one. */
  killPrimary(): Promise<{ killed: number; promoted: number; tookMs: number }>;
  close(): Promise<void>;
}

const NAME = 'rhx-test';

export async function startRedisSentinelSet(): Promise<RedisSentinelSet> {
  const dir = mkdtempSync(join(tmpdir(), 'rhx-sentinel-'));
  const servers = new Map<number, ChildProcess>();
  const all: ChildProcess[] = [];
  const start = (args: string[]) => {
    const child = spawnRedisServer(args);
    all.push(child);
    return child;
  };
  const [primary, replica, ...sentinelPorts] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]) as [number, number, number, number, number];
  const common = TEST_SERVER_ARGS;
  servers.set(primary, start(['--port', String(primary), ...common]));
  servers.set(replica, start(['--port', String(replica), ...common, '--replicaof', '127.0.0.1', String(primary)]));
  await Promise.all([primary, replica].map(waitForPing));
  for (const [i, port] of sentinelPorts.entries()) {
    const file = join(dir, `sentinel-${i}.conf`);
    writeFileSync(file, [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
      `sentinel monitor ${NAME} 127.0.0.1 ${primary} 2`,
      `sentinel down-after-milliseconds ${NAME} 2000`,
      `sentinel failover-timeout ${NAME} 10000`,
      `sentinel parallel-syncs ${NAME} 1`,
    ].join('\n') + '\n');
    start([file, '--sentinel']);
  }
  await Promise.all(sentinelPorts.map(waitForPing));
  const ask = () => withServer(sentinelPorts[0]!, async (s) => Number(((await s.call('SENTINEL', 'get-master-addr-by-name', NAME)) as [string, string])[1]));
  // The Sentinels must know the replica before a failover can promote it.
  await until(() => withServer(sentinelPorts[0]!, async (s) => ((await s.call('SENTINEL', 'replicas', NAME)) as unknown[]).length > 0), 20_000);
  return {
    url: `redis+sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',')}/${NAME}`,
    name: NAME,
    sentinelPorts,
    primaryPort: ask,
    async killPrimary() {
      const killed = await ask();
      const started = Date.now();
      servers.get(killed)?.kill('SIGKILL');
      let promoted = killed;
      await until(async () => (promoted = await ask()) !== killed, 60_000);
      return { killed, promoted, tookMs: Date.now() - started };
    },
    async close() {
      for (const child of all) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
