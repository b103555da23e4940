import { Redis, type RedisOptions } from 'ioredis';

/**
 * Where the fleet's Redis is, as one URL every process and the producer library pass around:
 * - `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS): one server;
 * - `redis+sentinel://[user:password@]host:port,host:port/<primary name>[/db][?sentinelPassword=…]` (or
 *   `rediss+sentinel://`): the primary the Sentinels name, followed through failovers. The user and
 *   password are the data nodes' (ACL); the Sentinels' own password is `sentinelPassword`.
 * The configuration composes the second form from `REDIS_SENTINELS` and `REDIS_SENTINEL_NAME`.
 */
export type RedisAddress =
  | { kind: 'server'; url: string }
  | { kind: 'sentinel'; sentinels: { host: string; port: number }[]; name: string; db: number; tls: boolean; username?: string; password?: string; sentinelPassword?: string };

const SENTINEL = /^(rediss?)\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/([^/?#]+)(?:\/(\d+))?\/?(?:\?([^#]*))?$/;

/** Parses `url` (see {@link RedisAddress}); throws naming what is wrong. */
export function parseRedisAddress(url: string): RedisAddress {
  if (!/^rediss?\+sentinel:/i.test(url)) return { kind: 'server', url };
  const m = SENTINEL.exec(url);
  if (!m) throw new Error('must be redis+sentinel://[user:password@]host:port,host:port/<primary name>[/db]');
  const [, scheme, user, password, hosts, name, db, query] = m;
  const sentinels = hosts!.split(',').map((hp) => {
    const at = hp.lastIndexOf(':');
    const port = at > 0 ? Number(hp.slice(at + 1)) : 26379;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`has a Sentinel with a bad port (${hp})`);
    return { host: at > 0 ? hp.slice(0, at).replace(/^\[(.*)\]$/, '$1') : hp, port };
  });
  const sentinelPassword = new URLSearchParams(query ?? '').get('sentinelPassword') ?? undefined;
  return {
    kind: 'sentinel', sentinels, name: decodeURIComponent(name!), db: Number(db ?? 0), tls: scheme === 'rediss',
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

/** ioredis options for `url` beside the caller's own; one place decides how any connection reaches Redis. */
function connect(url: string, options: RedisOptions): Redis {
  const address = parseRedisAddress(url);
  if (address.kind === 'server') return new Redis(url, options);
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
export function createRedisConnection(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): Redis {
  return connect(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    lazyConnect: true,
    ...extra,
  });
}

/** A connection for one check (start-up): no reconnection, so a dead Redis is reported in seconds. */
export function createCheckConnection(url: string, timeoutMs: number): Redis {
  return connect(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, sentinelRetryStrategy: () => null });
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  if (/^rediss?\+sentinel:/i.test(url)) return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@').replace(/sentinelPassword=[^&#]*/, 'sentinelPassword=***');
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}
