import calculateSlot from 'cluster-key-slot';
import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from '@rhx/queue';

/** How long an enqueue keeps trying while Redis fails over (a Sentinel promotion takes a few seconds). */
export const FAILOVER_WAIT_MS = 20_000;
/** How long a write waits for a replica to confirm it, per try. */
const REPLICA_ACK_MS = 2_000;

// Errors of a Redis that is away or changing primaries, never of the command itself. `MOVED`/`ASK` reach the
// caller when a cluster's slot moves under a transaction or script mid-failover (ioredis follows them for
// plain commands only): seen once in the Cluster failover test, an enqueue refused the second its replica took over.
const TRANSIENT = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|READONLY|LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|^(MOVED|ASK) \d+ |max retries per request|All sentinels are unreachable|Stream isn't writeable/i;

/**
 * The server that holds `key` on `connection`, when it may have replicas to confirm a write: the Sentinels'
 * primary, or on Redis Cluster the primary serving the key's slot (WAIT is answered by the node asked, so it
 * must be that one). Undefined for one server alone, or a cluster whose slot map is not known yet.
 */
function primaryOf(connection: RedisClient, key: string): Redis | undefined {
  if (connection instanceof Cluster) {
    const nodeKey = connection.slots[calculateSlot(key)]?.[0];
    return connection.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === nodeKey);
  }
  return Array.isArray(connection.options.sentinels) && connection.options.sentinels.length > 0 ? connection : undefined;
}

const replicaCounts = new WeakMap<Redis, { count: number; at: number }>();

/**
 * How many replicas the primary has now (`ROLE`), looked up at most once a second per connection. None
 * (the only other server died in the failover that made this one primary) means a replica cannot
 * confirm anything: the write is as safe as it can be, and waiting would only refuse every producer.
 */
async function connectedReplicas(primary: Redis): Promise<number> {
  const known = replicaCounts.get(primary);
  if (known && Date.now() - known.at < 1000) return known.count;
  const role = (await primary.call('ROLE')) as [string, number, unknown[]?];
  const count = role[0] === 'master' && Array.isArray(role[2]) ? role[2].length : 0;
  replicaCounts.set(primary, { count, at: Date.now() });
  return count;
}

/**
 * Runs an idempotent enqueue (its job ids make a repeat a no-op) until it succeeds, for at most
 * `limitMs` while Redis is away or failing over. On replicated Redis the write also counts only once a
 * replica has it (`WAIT 1` on the primary holding `key`, a key the enqueue wrote), while that primary has
 * one: a primary that dies before its replica copied a job would otherwise lose an incident its producer
 * was told was accepted. The last error is thrown when the time is up.
 */
export async function throughFailover(
  connection: RedisClient,
  enqueue: () => Promise<void>,
  { limitMs = FAILOVER_WAIT_MS, confirm = true, key = '' }: { limitMs?: number; confirm?: boolean; key?: string } = {},
): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      await enqueue();
      const primary = confirm ? primaryOf(connection, key) : undefined;
      if (!primary || (await connectedReplicas(primary)) === 0) return;
      const replicas = Number(await primary.wait(1, REPLICA_ACK_MS));
      if (replicas >= 1) return;
      throw new Error('no replica confirmed the enqueue');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!TRANSIENT.test(message) && !/no replica confirmed/.test(message)) throw err;
      // The slot map it holds is stale: read it again before the next try, as ioredis does after a MOVED it follows.
      if (connection instanceof Cluster && /^MOVED /.test(message)) connection.refreshSlotsCache();
      const primary = primaryOf(connection, key);
      if (primary) replicaCounts.delete(primary);
      if (Date.now() + wait > deadline) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
