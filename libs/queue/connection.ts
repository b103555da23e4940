import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for BullMQ. Workers block on Redis and must wait out outages
 * (`maxRetriesPerRequest: null`); producers in a request path should fail fast instead.
 */
export function createRedisConnection(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    lazyConnect: true,
    ...extra,
  });
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}
