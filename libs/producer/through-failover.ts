import type { Redis } from 'ioredis';

/** How long an enqueue keeps trying while Redis fails over (a Sentinel promotion takes a few seconds). */
export const FAILOVER_WAIT_MS = 20_000;
/** How long a write waits for a replica to confirm it, per try. */
const REPLICA_ACK_MS = 2_000;

// Errors of a Redis that is away or changing primaries, never of the command itself.
const TRANSIENT = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|READONLY|LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|max retries per request|All sentinels are unreachable|Stream isn't writeable/i;

/** Whether the connection reaches a replicated Redis (Sentinel-managed), where a write is confirmed by a replica. */
export function isReplicated(connection: Redis): boolean {
  return Array.isArray(connection.options.sentinels) && connection.options.sentinels.length > 0;
}

const replicaCounts = new WeakMap<Redis, { count: number; at: number }>();

/**
 * How many replicas the primary has now (`ROLE`), looked up at most once a second per connection. None
 * (the only other server died in the failover that made this one primary) means a replica cannot
 * confirm anything: the write is as safe as it can be, and waiting would only refuse every producer.
 */
async function connectedReplicas(connection: Redis): Promise<number> {
  const known = replicaCounts.get(connection);
  if (known && Date.now() - known.at < 1000) return known.count;
  const role = (await connection.call('ROLE')) as [string, number, unknown[]?];
  const count = role[0] === 'master' && Array.isArray(role[2]) ? role[2].length : 0;
  replicaCounts.set(connection, { count, at: Date.now() });
  return count;
}

/**
 * Runs an idempotent enqueue (its job ids make a repeat a no-op) until it succeeds, for at most
 * `limitMs` while Redis is away or failing over. On replicated Redis the write also counts only once a
 * replica has it (`WAIT 1`), while the primary has one: a primary that dies before its replica copied a
 * job would otherwise lose an incident its producer was told was accepted. The last error is thrown when
 * the time is up.
 */
export async function throughFailover(
  connection: Redis,
  enqueue: () => Promise<void>,
  { limitMs = FAILOVER_WAIT_MS, confirm = true }: { limitMs?: number; confirm?: boolean } = {},
): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      await enqueue();
      if (!confirm || !isReplicated(connection) || (await connectedReplicas(connection)) === 0) return;
      const replicas = Number(await connection.wait(1, REPLICA_ACK_MS));
      if (replicas >= 1) return;
      throw new Error('no replica confirmed the enqueue');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!TRANSIENT.test(message) && !/no replica confirmed/.test(message)) throw err;
      replicaCounts.delete(connection);
      if (Date.now() + wait > deadline) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
