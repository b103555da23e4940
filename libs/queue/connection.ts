import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * Where the fleet's Redis is, as one URL every process and the producer library pass around:
 * - `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS): one server;
 * - `redis+sentinel://[user:password@]host:port,host:port/<primary name>[/db][?sentinelPassword=…]` (or
 *   `rediss+sentinel://`): the primary the Sentinels name, followed through failovers. The user and
 *   password are the data nodes' (ACL); the Sentinels' own password is `sentinelPassword`.
 * - `redis+cluster://[user:password@]host:port,host:port` (or `rediss+cluster://`): a Redis Cluster, reached
 *   through any of the nodes named (the rest are discovered); Cluster has only db 0.
 * The configuration composes the second form from `REDIS_SENTINELS` and `REDIS_SENTINEL_NAME`, the third
 * from `REDIS_CLUSTER_NODES`.
 */
export type RedisAddress =
  | { kind: 'server'; url: string }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; db: number; tls: boolean; username?: string; password?: string; sentinelPassword?: string }
  | { kind: 'cluster'; nodes: HostPort[]; tls: boolean; username?: string; password?: string };

type HostPort = { host: string; port: number };

/** The Redis client of an address: one server's (alone or behind Sentinels) or a Cluster's. */
export type RedisClient = Redis | Cluster;

const SENTINEL = /^(rediss?)\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/([^/?#]+)(?:\/(\d+))?\/?(?:\?([^#]*))?$/;
const CLUSTER = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?$/;

function hostPorts(list: string, defaultPort: number, what: string): HostPort[] {
  return list.split(',').map((hp) => {
    const at = hp.lastIndexOf(':');
    const port = at > 0 ? Number(hp.slice(at + 1)) : defaultPort;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`has a ${what} with a bad port (${hp})`);
    return { host: at > 0 ? hp.slice(0, at).replace(/^\[(.*)\]$/, '$1') : hp, port };
  });
}

const credentials = (user?: string, password?: string) => ({
  ...(user ? { username: decodeURIComponent(user) } : {}),
  ...(password ? { password: decodeURIComponent(password) } : {}),
});

/** Parses `url` (see {@link RedisAddress}); throws naming what is wrong. */
export function parseRedisAddress(url: string): RedisAddress {
  if (/^rediss?\+cluster:/i.test(url)) {
    const m = CLUSTER.exec(url);
    if (!m) throw new Error('must be redis+cluster://[user:password@]host:port,host:port');
    const [, scheme, user, password, hosts] = m;
    return { kind: 'cluster', nodes: hostPorts(hosts!, 6379, 'cluster node'), tls: scheme === 'rediss', ...credentials(user, password) };
  }
  if (!/^rediss?\+sentinel:/i.test(url)) return { kind: 'server', url };
  const m = SENTINEL.exec(url);
  if (!m) throw new Error('must be redis+sentinel://[user:password@]host:port,host:port/<primary name>[/db]');
  const [, scheme, user, password, hosts, name, db, query] = m;
  const sentinels = hostPorts(hosts!, 26379, 'Sentinel');
  const sentinelPassword = new URLSearchParams(query ?? '').get('sentinelPassword') ?? undefined;
  return {
    kind: 'sentinel', sentinels, name: decodeURIComponent(name!), db: Number(db ?? 0), tls: scheme === 'rediss',
    ...credentials(user, password),
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

// Options that belong to the Cluster client itself rather than to each node's connection.
const CLUSTER_LEVEL = ['lazyConnect', 'enableOfflineQueue', 'enableReadyCheck'] as const;

/**
 * A Cluster client: the caller's options go to each node's connection (where BullMQ looks for
 * `maxRetriesPerRequest`), the cluster-wide ones to the cluster. Reads go to primaries only: a
 * replica may lag, and the fleet reads what it has just written.
 */
function connectCluster(address: Extract<RedisAddress, { kind: 'cluster' }>, options: RedisOptions & Pick<ClusterOptions, 'clusterRetryStrategy'>): Cluster {
  const { clusterRetryStrategy, retryStrategy: _perNode, ...rest } = options;
  const clusterLevel: Partial<ClusterOptions> = {};
  const redisOptions: RedisOptions = { ...(address.username ? { username: address.username } : {}), ...(address.password ? { password: address.password } : {}), ...(address.tls ? { tls: {} } : {}) };
  for (const [key, value] of Object.entries(rest)) {
    if ((CLUSTER_LEVEL as readonly string[]).includes(key)) (clusterLevel as Record<string, unknown>)[key] = value;
    else (redisOptions as Record<string, unknown>)[key] = value;
  }
  return new Cluster(address.nodes, {
    scaleReads: 'master',
    // ioredis's advice for TLS clusters: connect to the names as given, so each certificate's name matches.
    ...(address.tls ? { dnsLookup: (host, callback) => callback(null, host) } : {}),
    ...(clusterRetryStrategy ? { clusterRetryStrategy } : {}),
    ...clusterLevel,
    redisOptions,
  });
}

/** ioredis options for `url` beside the caller's own; one place decides how any connection reaches Redis. */
function connect(url: string, options: RedisOptions & Pick<ClusterOptions, 'clusterRetryStrategy'>): RedisClient {
  const address = parseRedisAddress(url);
  if (address.kind === 'server') return new Redis(url, options);
  if (address.kind === 'cluster') return connectCluster(address, options);
  const { sentinels, name, db, tls, username, password, sentinelPassword } = address;
  return new Redis({
    sentinels, name, db,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(sentinelPassword ? { sentinelPassword } : {}),
    ...(tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
    // After a failover the old primary may answer as a replica for a moment: reconnect rather than write there.
    reconnectOnError: (err) => /READONLY/.test(err.message),
    ...options,
  });
}

/**
 * A Redis connection for BullMQ. Workers block on Redis and must wait out outages
 * (`maxRetriesPerRequest: null`); producers in a request path should fail fast instead.
 */
export function createRedisConnection(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): RedisClient {
  return connect(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    lazyConnect: true,
    ...extra,
  });
}

/** A connection for one check (start-up): no reconnection, so a dead Redis is reported in seconds. */
export function createCheckConnection(url: string, timeoutMs: number): RedisClient {
  return connect(url, {
    lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false,
    sentinelRetryStrategy: () => null, clusterRetryStrategy: () => null,
  });
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  if (/^rediss?\+cluster:/i.test(url)) return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  if (/^rediss?\+sentinel:/i.test(url)) return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@').replace(/sentinelPassword=[^&#]*/, 'sentinelPassword=***');
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}
