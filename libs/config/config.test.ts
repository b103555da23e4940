import { describe, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from './index.js';

const problems = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.variable);
    throw err;
  }
  return [];
};

describe('configuration', () => {
  test('defaults of CONTRACT §2', () => {
    const c = parseConfig({ NODE_ENV: 'test' });
    expect(c).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: 'rhx', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/rhythmx',
      API_PORT: 8080, API_HOST: '127.0.0.1', JIRA_ISSUE_TYPE: 'Task', JIRA_DEPLOYMENT: 'cloud', JIRA_ENABLED: false,
      SNOW_ENABLED: false, AUTO_PUSH_ENABLED: false, AUTO_PUSH_MIN_SEVERITY: 'CRITICAL', AUTO_PUSH_TARGETS: ['jira'],
      RETRY_MAX_ATTEMPTS: 5, RETRY_BASE_DELAY_SECONDS: 60, RETRY_MAX_DELAY_SECONDS: 3600, HTTP_TIMEOUT_MS: 15000,
      TICKET_INTEGRATION: 'standard', PROACTIVE_SNOW_TABLE: 'Case', PROACTIVE_SNOW_SOURCE: 'Managed_services',
      PROACTIVE_SNOW_VERIFY_SSL: true, SNOW_UPDATE_CADENCE_HOURS: 24, SYNC_INTERVAL_SECONDS: 300, LOG_LEVEL: 'info',
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('every problem at once, each naming its variable', () => {
    expect(problems({
      NODE_ENV: 'production', REDIS_URL: 'http://x', DATABASE_URL: 'nope', RETRY_MAX_ATTEMPTS: 'zero', API_PORT: '70000',
      DATABASE_POOLER: 'pgbouncer', TICKET_INTEGRATION: 'proactive', PROACTIVE_SNOW_VERIFY_SSL: 'false', JIRA_ENABLED: 'yes', AUTO_PUSH_TARGETS: 'jira,email',
    }).sort()).toEqual([
      'API_PORT', 'AUTO_PUSH_TARGETS', 'DATABASE_POOLER', 'DATABASE_URL', 'JIRA_ENABLED', 'PROACTIVE_SNOW_APP_ID', 'PROACTIVE_SNOW_BASE_URL',
      'PROACTIVE_SNOW_SECRET', 'PROACTIVE_SNOW_SERVICE_IDENTIFIER', 'PROACTIVE_SNOW_VERIFY_SSL', 'REDIS_URL', 'RETRY_MAX_ATTEMPTS',
      'SETTINGS_ENCRYPTION_KEY',
    ]);
  });

  test('a provider’s settings are required only when it is enabled', () => {
    expect(problems({ NODE_ENV: 'test', JIRA_ENABLED: 'true' }).sort()).toEqual(['JIRA_API_TOKEN', 'JIRA_EMAIL', 'JIRA_PROJECT_KEY', 'JIRA_URL']);
    expect(problems({ NODE_ENV: 'test', SNOW_PASSWORD: 'pw' })).toEqual(['SETTINGS_ENCRYPTION_KEY']);
    expect(problems({ NODE_ENV: 'test', JIRA_URL: 'https://acme.atlassian.net' })).toEqual([]);
  });

  test('the sign-in method decides which credentials are required', () => {
    const jira = { NODE_ENV: 'test', JIRA_ENABLED: 'true', JIRA_URL: 'https://acme.atlassian.net', JIRA_PROJECT_KEY: 'SEC' };
    expect(problems({ ...jira, JIRA_AUTH: 'oauth2-client-credentials' }).sort()).toEqual(['JIRA_OAUTH_CLIENT_ID', 'JIRA_OAUTH_CLIENT_SECRET']);
    expect(problems({ ...jira, JIRA_AUTH: 'service-account-token' }).sort()).toEqual(['JIRA_API_TOKEN', 'JIRA_EMAIL']);
    expect(problems({ ...jira, JIRA_AUTH: 'oauth' })).toContain('JIRA_AUTH');
    expect(problems({ ...jira, JIRA_AUTH: 'basic', JIRA_EMAIL: 'a@b.c', JIRA_API_TOKEN: 't', JIRA_API_TOKEN_EXPIRES: '2027-02-30', SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') })).toEqual(['JIRA_API_TOKEN_EXPIRES']);
    const snow = { NODE_ENV: 'test', SNOW_ENABLED: 'true', SNOW_INSTANCE: 'acme.service-now.com' };
    expect(problems({ ...snow, SNOW_AUTH: 'oauth2-client-credentials' }).sort()).toEqual(['SNOW_OAUTH_CLIENT_ID', 'SNOW_OAUTH_CLIENT_SECRET']);
    expect(problems({ ...snow, SNOW_AUTH: 'oauth2-password' }).sort()).toEqual(['SNOW_OAUTH_CLIENT_ID', 'SNOW_OAUTH_CLIENT_SECRET', 'SNOW_PASSWORD', 'SNOW_USERNAME']);
  });

  test('SNOW_INSTANCE takes a host or a whole base URL; empty values count as unset', () => {
    expect(parseConfig({ NODE_ENV: 'test', SNOW_INSTANCE: 'acme.service-now.com' }).SNOW_INSTANCE).toBe('https://acme.service-now.com');
    expect(parseConfig({ NODE_ENV: 'test', SNOW_INSTANCE: 'http://127.0.0.1:9102/' }).SNOW_INSTANCE).toBe('http://127.0.0.1:9102');
    expect(parseConfig({ NODE_ENV: 'test', API_TOKEN: '' }).API_TOKEN).toBeUndefined();
  });

  test('the encryption key must be 32 bytes of base64; retry delays must be ordered', () => {
    expect(problems({ NODE_ENV: 'test', SETTINGS_ENCRYPTION_KEY: 'c2hvcnQ=' })).toEqual(['SETTINGS_ENCRYPTION_KEY']);
    expect(problems({ NODE_ENV: 'test', RETRY_BASE_DELAY_SECONDS: '120', RETRY_MAX_DELAY_SECONDS: '60' })).toEqual(['RETRY_MAX_DELAY_SECONDS']);
  });

  test('request caps per system: positive numbers of requests per second, unset means none', () => {
    const c = parseConfig({ NODE_ENV: 'test', JIRA_MAX_REQUESTS_PER_SECOND: '10', SNOW_MAX_REQUESTS_PER_SECOND: '0.5' });
    expect(c).toMatchObject({ JIRA_MAX_REQUESTS_PER_SECOND: 10, SNOW_MAX_REQUESTS_PER_SECOND: 0.5 });
    const none = parseConfig({ NODE_ENV: 'test', JIRA_MAX_REQUESTS_PER_SECOND: '' });
    expect(none.JIRA_MAX_REQUESTS_PER_SECOND).toBeUndefined();
    expect(none.SNOW_MAX_REQUESTS_PER_SECOND).toBeUndefined();
    for (const bad of ['0', '-1', 'ten', '1e3', '5/s', '1001']) {
      expect(problems({ NODE_ENV: 'test', JIRA_MAX_REQUESTS_PER_SECOND: bad, SNOW_MAX_REQUESTS_PER_SECOND: bad })).toEqual([
        'JIRA_MAX_REQUESTS_PER_SECOND',
        'SNOW_MAX_REQUESTS_PER_SECOND',
      ]);
    }
  });
});

describe('API_TOKENS (issue 18)', () => {
  test('name:token pairs, each name who the audit trail says made a call', () => {
    expect(parseConfig({ NODE_ENV: 'test', API_TOKENS: 'siem-bot:aaaaaaaaaaaaaaaa1, soar.prod:bbbbbbbbbbbbbbbb2' }).API_TOKENS).toEqual([
      { name: 'siem-bot', token: 'aaaaaaaaaaaaaaaa1' }, { name: 'soar.prod', token: 'bbbbbbbbbbbbbbbb2' },
    ]);
  });

  test.each([
    ['no-colon-here-at-all-0123', 'entry 1: must be name:token'],
    ['bot:short', 'entry 1 (bot): the token must be at least 16 characters'],
    ['bot:aaaaaaaaaaaaaaaa1,bot:bbbbbbbbbbbbbbbb2', 'entry 2 (bot): the name is used twice'],
    ['a:aaaaaaaaaaaaaaaa1,b:aaaaaaaaaaaaaaaa1', 'entry 2 (b): the same token as a'],
    ['bad name:aaaaaaaaaaaaaaaa1', 'entry 1: must be name:token'],
  ])('%s is refused: %s (the message never holds a token)', (value, message) => {
    try {
      parseConfig({ NODE_ENV: 'test', API_TOKENS: value });
      throw new Error('accepted');
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const problem = err.problems.find((p) => p.variable === 'API_TOKENS');
      expect(problem?.message).toContain(message);
      expect(err.message).not.toMatch(/aaaaaaaaaaaaaaaa1|bbbbbbbbbbbbbbbb2|short/);
    }
  });
});
