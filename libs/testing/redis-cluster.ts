import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import calculateSlot from 'cluster-key-slot';
import { freePort } from './free-port.js';
import { TEST_SERVER_ARGS, spawnRedisServer, until, waitForPing, withServer } from './redis-servers.js';

/**
 * A Redis Cluster of the test's own on loopback (issue 17): three primaries with a replica each, from the
 * installed `redis-server` and `redis-cli --cluster create`; never the machine's shared Redis.
 * `killPrimaryOf` SIGKILLs the primary serving a key; the cluster promotes its replica (node timeout 2 s).
 */
export interface RedisClusterSet {
  /** `redis+cluster://127.0.0.1:<p1>,…` for REDIS_URL. */
  url: string;
  /** The port of the primary serving `key`'s slot now. */
  primaryOf(key: string): Promise<number>;
  /** SIGKILLs the primary serving `key`; resolves once another node serves its slot and the cluster is ok. */
  killPrimaryOf(key: string): Promise<{ killed: number; promoted: number; tookMs: number }>;
  close(): Promise<void>;
}

const NODE_TIMEOUT_MS = 2000;

type SlotRange = [number, number, [string, number, ...unknown[]], ...unknown[]];

export async function startRedisCluster(): Promise<RedisClusterSet> {
  const dir = mkdtempSync(join(tmpdir(), 'rhx-cluster-'));
  const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  // Each node's cluster bus gets a free port of its own: by default it is the port + 10000, which for an
  // ephemeral port above 55535 does not exist (the node then never starts), and may be taken.
  const busPorts = await Promise.all(ports.map(() => freePort()));
  const servers = new Map<number, ChildProcess>();
  ports.forEach((port, i) => {
    servers.set(port, spawnRedisServer([
      '--port', String(port), ...TEST_SERVER_ARGS, '--dir', dir, '--cluster-enabled', 'yes', '--cluster-port', String(busPorts[i]),
      '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
    ]));
  });
  const alive = new Set(ports);
  const close = async () => {
    for (const child of servers.values()) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(ports.map(waitForPing));
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 60_000 });
    await until(async () => (await Promise.all(ports.map(clusterOk))).every(Boolean), 30_000, 'the cluster to be ok');
    // A replica that has not copied its primary yet cannot take over: wait for three in sync.
    await until(async () => (await Promise.all(ports.map(replicaInSync))).filter(Boolean).length === 3, 30_000, 'the replicas to sync');
  } catch (err) {
    await close();
    throw err;
  }
  // Asked of a node still alive: who serves the slot now.
  const primaryOf = async (key: string): Promise<number> => {
    const slot = calculateSlot(key);
    for (const port of alive) {
      const ranges = await withServer(port, (r) => r.call('CLUSTER', 'SLOTS') as Promise<SlotRange[]>).catch(() => undefined);
      const range = ranges?.find(([from, to]) => slot >= from && slot <= to);
      if (range) return Number(range[2][1]);
    }
    throw new Error(`no node of the cluster serves slot ${slot}`);
  };
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    primaryOf,
    async killPrimaryOf(key) {
      const killed = await primaryOf(key);
      const started = Date.now();
      servers.get(killed)?.kill('SIGKILL');
      alive.delete(killed);
      let promoted = killed;
      await until(async () => (promoted = await primaryOf(key)) !== killed && (await Promise.all([...alive].map(clusterOk))).every(Boolean), 60_000, 'the replica to be promoted');
      return { killed, promoted, tookMs: Date.now() - started };
    },
    close,
  };
}

const replicaInSync = (port: number) => withServer(port, async (r) => /master_link_status:up/.test(await r.info('replication')));
const clusterOk = (port: number) => withServer(port, async (r) => /cluster_state:ok/.test(String(await r.call('CLUSTER', 'INFO'))));
