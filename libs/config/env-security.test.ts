import { describe, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from './index.js';

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    parseConfig({ NODE_ENV: 'test', ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('INTEGRATION_ALLOWED_HOSTS', () => {
  test('defaults to nothing listed (public hosts only)', () => {
    expect(parseConfig({ NODE_ENV: 'test' }).INTEGRATION_ALLOWED_HOSTS).toEqual({ any: false, names: [], suffixes: [], networks: [] });
  });

  test('takes names, *.wildcards, addresses and CIDR ranges', () => {
    const c = parseConfig({ NODE_ENV: 'test', INTEGRATION_ALLOWED_HOSTS: ' Jira.Corp.example. , *.svc.local,127.0.0.0/8, ::1,[fd00::1],10.0.0.0/8' });
    expect(c.INTEGRATION_ALLOWED_HOSTS).toEqual({
      any: false,
      names: ['jira.corp.example'],
      suffixes: ['.svc.local'],
      networks: ['127.0.0.0/8', '::1/128', 'fd00::1/128', '10.0.0.0/8'],
    });
    expect(parseConfig({ NODE_ENV: 'test', INTEGRATION_ALLOWED_HOSTS: '*' }).INTEGRATION_ALLOWED_HOSTS.any).toBe(true);
  });

  test('names every bad entry', () => {
    const problems = problemsOf({ INTEGRATION_ALLOWED_HOSTS: 'ok.example,https://x.example,10.0.0.0/33,host:8080,*.,a b' });
    expect(problems.map((p) => p.variable)).toEqual(Array(5).fill('INTEGRATION_ALLOWED_HOSTS'));
    const text = problems.map((p) => p.message).join('\n');
    for (const bad of ['https://x.example', '10.0.0.0/33', 'host:8080', '*.', 'a b']) expect(text).toContain(`"${bad}"`);
  });
});

describe('base URLs in the environment', () => {
  test.each(['https://user:pw@jira.example', 'https://jira.example/?', 'https://jira.example/jira?x=1', 'https://jira.example/#top'])(
    'JIRA_URL %s is refused',
    (url) => {
      expect(problemsOf({ JIRA_URL: url }).map((p) => p.variable)).toEqual(['JIRA_URL']);
    },
  );

  test('SNOW_INSTANCE with user info is refused', () => {
    expect(problemsOf({ SNOW_INSTANCE: 'admin@acme.service-now.com' }).map((p) => p.variable)).toEqual(['SNOW_INSTANCE']);
  });
});

describe('SETTINGS_ENCRYPTION_KEY is strict base64 of 32 bytes', () => {
  const good = Buffer.alloc(32, 7).toString('base64');
  test.each([
    ['junk characters Node would skip', `${good.slice(0, 20)}!!${good.slice(20)}`],
    ['whitespace inside', `${good.slice(0, 20)} ${good.slice(20)}`],
    ['missing padding', good.replace(/=$/, '')],
    ['base64url alphabet', Buffer.alloc(32, 0xfb).toString('base64url')],
    ['non-zero unused bits', `${good.slice(0, 42)}9=`],
    ['31 bytes', Buffer.alloc(31, 1).toString('base64')],
  ])('%s is refused', (_name, key) => {
    expect(problemsOf({ SETTINGS_ENCRYPTION_KEY: key }).map((p) => p.variable)).toEqual(['SETTINGS_ENCRYPTION_KEY']);
  });

  test('a canonical key is accepted', () => {
    expect(problemsOf({ SETTINGS_ENCRYPTION_KEY: good })).toEqual([]);
  });
});
