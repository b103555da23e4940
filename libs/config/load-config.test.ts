import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { envFilePath, loadConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'rhx-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('which file of variables a process reads', () => {
  test.each([
    [{}, '.env'],
    [{ ENV_FILE: '' }, '.env'],
    [{ ENV_FILE: '/dev/null' }, '/dev/null'],
    [{ ENV_FILE: '/etc/rhx/bridge.env' }, '/etc/rhx/bridge.env'],
  ])('%j → %s', (env, path) => {
    expect(envFilePath(env)).toBe(path);
  });

  test('the environment wins over the file; /dev/null reads nothing', () => {
    const file = join(dir, 'conflicting.env');
    writeFileSync(file, 'QUEUE_PREFIX=from_file\nSYNC_INTERVAL_SECONDS=77\n');
    const saved = { QUEUE_PREFIX: process.env.QUEUE_PREFIX, SYNC_INTERVAL_SECONDS: process.env.SYNC_INTERVAL_SECONDS };
    try {
      delete process.env.SYNC_INTERVAL_SECONDS;
      process.env.QUEUE_PREFIX = 'from_env';
      expect(loadConfig(file)).toMatchObject({ QUEUE_PREFIX: 'from_env', SYNC_INTERVAL_SECONDS: 77 });
      expect(loadConfig('/dev/null')).toMatchObject({ QUEUE_PREFIX: 'from_env', SYNC_INTERVAL_SECONDS: 300 });
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
});
