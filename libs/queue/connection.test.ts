import { describe, expect, test } from '@jest/globals';
import { parseConfig } from '@rhx/config';
import { createRedisConnection, parseRedisAddress, redactUrl } from './connection.js';
import { keyLayout, keyLayoutOf } from './key-layout.js';

describe('where Redis is', () => {
  test('a plain URL is one server', () => {
    expect(parseRedisAddress('redis://:pw@10.0.0.5:6380/2')).toEqual({ kind: 'server', url: 'redis://:pw@10.0.0.5:6380/2' });
  });

  test('a redis+sentinel URL names the Sentinels, the primary, the data nodes’ user and password, the db and TLS', () => {
    expect(parseRedisAddress('rediss+sentinel://app:s%40cret@s1:26379,[::1]:26380,s3/rhx-main/3?sentinelPassword=sp')).toEqual({
      kind: 'sentinel', name: 'rhx-main', db: 3, tls: true, username: 'app', password: 's@cret', sentinelPassword: 'sp',
      sentinels: [{ host: 's1', port: 26379 }, { host: '::1', port: 26380 }, { host: 's3', port: 26379 }],
    });
    expect(() => parseRedisAddress('redis+sentinel://s1:26379')).toThrow(/primary name/);
  });

  test('REDIS_SENTINELS composes the sentinel URL from REDIS_URL’s credentials; every password is redacted in messages', () => {
    const config = parseConfig({
      NODE_ENV: 'test', REDIS_URL: 'redis://app:data-pw@ignored:6379/1', REDIS_SENTINELS: 's1:26379, s2:26379', REDIS_SENTINEL_NAME: 'main', REDIS_SENTINEL_PASSWORD: 'sent pw',
    });
    expect(config.REDIS_URL).toBe('redis+sentinel://app:data-pw@s1:26379,s2:26379/main/1?sentinelPassword=sent%20pw');
    expect(parseRedisAddress(config.REDIS_URL)).toMatchObject({ kind: 'sentinel', password: 'data-pw', sentinelPassword: 'sent pw', db: 1 });
    expect(redactUrl(config.REDIS_URL)).toBe('redis+sentinel://app:***@s1:26379,s2:26379/main/1?sentinelPassword=***');
  });

  test('bad values are refused naming the variable', () => {
    expect(() => parseConfig({ NODE_ENV: 'test', REDIS_SENTINELS: 's1' })).toThrow(/REDIS_SENTINELS/);
    expect(() => parseConfig({ NODE_ENV: 'test', REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    expect(parseConfig({ NODE_ENV: 'test', REDIS_URL: 'redis+sentinel://s1:26379,s2:26379/main' }).REDIS_URL).toBe('redis+sentinel://s1:26379,s2:26379/main');
  });

  test('a redis+cluster URL names the nodes to start from, the user, password and TLS; REDIS_CLUSTER_NODES composes it', () => {
    expect(parseRedisAddress('rediss+cluster://app:s%40cret@n1:7000,[::1]:7001,n3')).toEqual({
      kind: 'cluster', tls: true, username: 'app', password: 's@cret',
      nodes: [{ host: 'n1', port: 7000 }, { host: '::1', port: 7001 }, { host: 'n3', port: 6379 }],
    });
    const config = parseConfig({ NODE_ENV: 'test', REDIS_URL: 'rediss://app:data-pw@ignored:6379', REDIS_CLUSTER_NODES: 'n1:7000,n2:7000' });
    expect(config.REDIS_URL).toBe('rediss+cluster://app:data-pw@n1:7000,n2:7000');
    expect(redactUrl(config.REDIS_URL)).toBe('rediss+cluster://app:***@n1:7000,n2:7000');
    expect(() => parseRedisAddress('redis+cluster://n1:7000/2')).toThrow(/redis\+cluster:\/\//);
  });

  test('Cluster settings that cannot work are refused naming the variable', () => {
    expect(() => parseConfig({ NODE_ENV: 'test', REDIS_CLUSTER_NODES: 'n1:7000', REDIS_SENTINELS: 's1:26379' })).toThrow(/REDIS_CLUSTER_NODES and REDIS_SENTINELS/);
    expect(() => parseConfig({ NODE_ENV: 'test', REDIS_CLUSTER_NODES: 'n1:7000', QUEUE_PREFIX: 'a{b}' })).toThrow(/QUEUE_PREFIX must not contain \{ \}/);
    expect(parseConfig({ NODE_ENV: 'test', REDIS_CLUSTER_NODES: 'n1:7000', QUEUE_PREFIX: '{rhx}' }).QUEUE_PREFIX).toBe('{rhx}');
    expect(() => parseConfig({ NODE_ENV: 'test', REDIS_URL: 'redis+cluster://n1:7000/3' })).toThrow(/REDIS_URL/);
  });

  test('a cluster connection takes the caller’s options per node, where BullMQ looks for them', () => {
    const worker = createRedisConnection('redis+cluster://app:pw@127.0.0.1:7000', 'worker');
    expect(worker.isCluster).toBe(true);
    const options = (worker as unknown as { options: { lazyConnect: boolean; redisOptions: Record<string, unknown> } }).options;
    expect(options.lazyConnect).toBe(true);
    expect(options.redisOptions).toMatchObject({ maxRetriesPerRequest: null, username: 'app', password: 'pw' });
    worker.disconnect();
  });
});

describe('where the keys live', () => {
  test('one server keeps every key under the prefix, as existing deployments have them', () => {
    const layout = keyLayout('rhx', false);
    expect([layout.queue('ticket-push'), layout.queue('incident-events'), layout.group('throttle')]).toEqual(['rhx', 'rhx', 'rhx']);
  });

  test('Cluster gives each queue and each other group a hash tag of its own, so they spread over the nodes', () => {
    const layout = keyLayout('rhx', true);
    expect(layout.queue('ticket-push')).toBe('{rhx:ticket-push}');
    expect(layout.queue('incident-events')).toBe('{rhx:incident-events}');
    expect(layout.group('throttle')).toBe('{rhx:throttle}');
    expect(layout.group('console')).toBe('{rhx:console}');
    expect(keyLayoutOf({ isCluster: true }, 'x').queue('ticket-sync')).toBe('{x:ticket-sync}');
    // CONTRACT's older advice for Cluster, `{rhx}`, still spreads the queues.
    expect(keyLayout('{rhx}', true).queue('ticket-push')).toBe('{rhx:ticket-push}');
    expect(keyLayout('{rhx}', false).queue('ticket-push')).toBe('{rhx}');
    expect(keyLayoutOf({ isCluster: false }, 'x').queue('ticket-sync')).toBe('x');
  });
});
