import { describe, expect, test } from '@jest/globals';
import { parseConfig } from '@rhx/config';
import { parseRedisAddress, redactUrl } from './connection.js';

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
});
