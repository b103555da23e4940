import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from '@rhx/config';
import { decodeIncidentCursor, encodeIncidentCursor } from '@rhx/db';
import { checkCredentials, consoleSessionKey, csrfTokenFor, csrfTokenMatches, operatorAccounts } from './operator-auth.js';
import { parseForm } from './form.js';
import { safeNext } from './sign-in.routes.js';

const accounts = operatorAccounts({ CONSOLE_USER: 'admin', CONSOLE_PASSWORD: 'console-pass-123', BULL_BOARD_USER: 'operator', BULL_BOARD_PASSWORD: 'board-pass-123' });

describe('operator sign-in', () => {
  test.each([
    ['admin', 'console-pass-123', 'admin'],
    ['operator', 'board-pass-123', 'operator'],
    ['admin', 'board-pass-123', undefined],
    ['admin', 'console-pass-12', undefined],
    ['admin ', 'console-pass-123', undefined],
    ['', '', undefined],
  ])('%j / %j → %j', (user, password, expected) => {
    expect(checkCredentials(accounts, user, password)).toBe(expected);
  });

  test('no account configured: nobody signs in', () => {
    expect(operatorAccounts({})).toEqual([]);
    expect(checkCredentials([], '', '')).toBeUndefined();
  });
});

describe('session key and CSRF tokens', () => {
  const settingsKey = randomBytes(32).toString('base64');

  test('the key is the secret when set, else derived from the settings key (the same in every process), else random', () => {
    expect(consoleSessionKey({ CONSOLE_SESSION_SECRET: 's'.repeat(32), SETTINGS_ENCRYPTION_KEY: settingsKey }).source).toBe('secret');
    const a = consoleSessionKey({ SETTINGS_ENCRYPTION_KEY: settingsKey });
    expect(a.source).toBe('derived');
    expect(a.key.equals(consoleSessionKey({ SETTINGS_ENCRYPTION_KEY: settingsKey }).key)).toBe(true);
    expect(a.key.equals(Buffer.from(settingsKey, 'base64'))).toBe(false);
    expect(consoleSessionKey({}).key.equals(consoleSessionKey({}).key)).toBe(false);
  });

  test('a token belongs to one session under one key', () => {
    const key = randomBytes(32);
    const token = csrfTokenFor(key, 'session-1');
    expect(csrfTokenMatches(key, 'session-1', token)).toBe(true);
    expect(csrfTokenMatches(key, 'session-2', token)).toBe(false);
    expect(csrfTokenMatches(randomBytes(32), 'session-1', token)).toBe(false);
    expect(csrfTokenMatches(key, 'session-1', undefined)).toBe(false);
    expect(csrfTokenMatches(key, 'session-1', '')).toBe(false);
  });
});

describe('where sign-in leads', () => {
  test.each([
    ['/console/incidents/INC-1', '/console/incidents/INC-1'],
    ['/console/deliveries?status=FAILED', '/console/deliveries?status=FAILED'],
    ['https://evil.example/console/', '/console/incidents'],
    ['//evil.example/console/x', '/console/incidents'],
    ['/console/\\evil.example', '/console/incidents'],
    ['/console/sign-in', '/console/incidents'],
    ['/admin/queues', '/console/incidents'],
    ['', '/console/incidents'],
  ])('%j → %j', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});

describe('forms and cursors', () => {
  test('a repeated field is a list, a single one a string', () => {
    expect(parseForm('a=1&targets=jira&targets=servicenow&e=')).toEqual({ a: '1', targets: ['jira', 'servicenow'], e: '' });
  });

  test('an incident cursor round-trips, ids with underscores included; an edited one is refused', () => {
    const cursor = { receivedAt: new Date('2026-11-20T22:25:00.123Z'), id: 'INC_2026:0001' };
    expect(decodeIncidentCursor(encodeIncidentCursor(cursor))).toEqual(cursor);
    for (const bad of ['', 'bogus', Buffer.from('2026-11-20T22:25:00Z_INC').toString('base64url'), Buffer.from('2026-11-20T22:25:00.000Z_bad id').toString('base64url')]) {
      expect(decodeIncidentCursor(bad)).toBeUndefined();
    }
  });
});

describe('console configuration', () => {
  const problems = (env: Record<string, string>) => {
    try {
      parseConfig({ NODE_ENV: 'test', ...env });
      return [];
    } catch (err) {
      return (err as ConfigError).problems.map((p) => p.variable);
    }
  };

  test.each([
    [{ CONSOLE_USER: 'admin' }, ['CONSOLE_PASSWORD']],
    [{ CONSOLE_PASSWORD: 'long-enough-pass' }, ['CONSOLE_PASSWORD']],
    [{ CONSOLE_USER: 'admin', CONSOLE_PASSWORD: 'short' }, ['CONSOLE_PASSWORD']],
    [{ CONSOLE_SESSION_SECRET: 'too short' }, ['CONSOLE_SESSION_SECRET']],
    [{ CONSOLE_SESSION_HOURS: '0' }, ['CONSOLE_SESSION_HOURS']],
    [{ CONSOLE_USER: 'admin', CONSOLE_PASSWORD: 'long-enough-pass', CONSOLE_SESSION_SECRET: 's'.repeat(32), CONSOLE_SESSION_HOURS: '12' }, []],
  ])('%j → problems with %j', (env, expected) => {
    expect(problems(env)).toEqual(expected);
  });
});
