import type { QueueName } from './queue-names.js';

/** Keys of the fleet outside the queues, by what they serve; a script never touches two groups at once. */
export type KeyGroup = 'throttle' | 'sign-in' | 'console' | 'sync' | 'oauth-token';

/** Where the fleet's keys live in Redis: the BullMQ prefix of each queue and the prefix of each other group. */
export interface KeyLayout {
  /** The BullMQ prefix of `queue`; keys written beside its jobs (incident payloads) start with it too. */
  queue(queue: QueueName): string;
  group(group: KeyGroup): string;
}

/**
 * On one Redis (alone or behind Sentinels) every key starts with `QUEUE_PREFIX`, as it always has
 * (`rhx:ticket-push:wait`), so existing deployments keep their keys. On Redis Cluster every key a BullMQ
 * script touches must hash to one slot: each queue gets a hash tag of its own (`{rhx:ticket-push}`; one
 * tag for all would put every queue on one node), and so does each other group (`{rhx:throttle}`), so the
 * queues and the rest spread over the cluster's primaries. A prefix already in braces (`{rhx}`, as older
 * advice for Cluster had it) is taken without them there.
 */
export function keyLayout(prefix: string, cluster: boolean): KeyLayout {
  if (!cluster) return { queue: () => prefix, group: () => prefix };
  const base = prefix.replace(/^\{([^{}]+)\}$/, '$1');
  return { queue: (queue) => `{${base}:${queue}}`, group: (group) => `{${base}:${group}}` };
}

/** Whether `connection` (an ioredis client, or BullMQ connection options) is a Redis Cluster client. */
export function isClusterConnection(connection: unknown): boolean {
  return typeof connection === 'object' && connection !== null && (connection as { isCluster?: unknown }).isCluster === true;
}

/** The layout for keys written through `connection` under the fleet's `prefix`. */
export function keyLayoutOf(connection: unknown, prefix: string): KeyLayout {
  return keyLayout(prefix, isClusterConnection(connection));
}
