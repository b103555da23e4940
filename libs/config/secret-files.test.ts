import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from './index.js';
import { FILE_VARIABLES } from './env.schema.js';

// Docker and Kubernetes secrets arrive as files: `<NAME>_FILE` for every secret variable and the URLs.
const dir = mkdtempSync(join(tmpdir(), 'rhx-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const problemsOf = (env: Record<string, string>) => {
  try {
    parseConfig({ NODE_ENV: 'test', ...env });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('<NAME>_FILE', () => {
  test('a secret is read from its file, the trailing line break dropped', () => {
    const c = parseConfig({ NODE_ENV: 'test', API_TOKEN_FILE: file('token', 'file-token-0123456789abcdef\n'), DATABASE_URL_FILE: file('db', 'postgresql://rhx:pw@db:5432/rhythmx\n') });
    expect(c.API_TOKEN).toBe('file-token-0123456789abcdef');
    expect(c.DATABASE_URL).toBe('postgresql://rhx:pw@db:5432/rhythmx');
  });

  test('the value from the file is validated like the variable (a short token is refused by name)', () => {
    expect(problemsOf({ API_TOKEN_FILE: file('short', 'short\n') })).toEqual([{ variable: 'API_TOKEN', message: 'must be at least 16 characters' }]);
  });

  test('both set is refused at start, naming both and showing neither value', () => {
    const problems = problemsOf({ SETTINGS_ENCRYPTION_KEY: 'x'.repeat(44), SETTINGS_ENCRYPTION_KEY_FILE: file('key', 'y'.repeat(44)) });
    expect(problems).toContainEqual({ variable: 'SETTINGS_ENCRYPTION_KEY_FILE', message: 'and SETTINGS_ENCRYPTION_KEY are both set: set one of them' });
    expect(JSON.stringify(problems)).not.toMatch(/xxxx|yyyy/);
  });

  test('a file that is missing or empty is a problem naming the variable and the path', () => {
    expect(problemsOf({ JIRA_API_TOKEN_FILE: join(dir, 'absent') })).toContainEqual({ variable: 'JIRA_API_TOKEN_FILE', message: `cannot be read (${join(dir, 'absent')}: ENOENT)` });
    expect(problemsOf({ SNOW_PASSWORD_FILE: file('empty', '\n') })).toContainEqual({ variable: 'SNOW_PASSWORD_FILE', message: `names an empty file (${join(dir, 'empty')})` });
  });

  test('every secret variable and both URLs take a file', () => {
    expect(FILE_VARIABLES).toEqual(expect.arrayContaining(['API_TOKEN', 'BULL_BOARD_PASSWORD', 'CONSOLE_PASSWORD', 'CONSOLE_SESSION_SECRET', 'SETTINGS_ENCRYPTION_KEY', 'JIRA_API_TOKEN', 'SNOW_PASSWORD', 'PROACTIVE_SNOW_SECRET', 'DATABASE_URL', 'REDIS_URL']));
  });
});
