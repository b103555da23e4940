import { readFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { parseRoles } from './roles.js';
import { WORKER_ENV, WORKER_NODE_FLAGS } from './node-flags.js';

test('npm run start:worker runs with the same V8 flags and environment as the fleet launcher and the bench', () => {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
  const env = Object.entries(WORKER_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
  expect(scripts['start:worker']).toBe(`${env} node ${WORKER_NODE_FLAGS.join(' ')} --import tsx apps/worker/src/main.ts`);
});

test.each([
  [[], ['push', 'retry', 'sync']],
  [['--role', 'push'], ['push']],
  [['--role=sync,push,push'], ['sync', 'push']],
  [['--role', 'ingest'], ['ingest']],
  // push ingests too: one ingest consumer per process however the roles are written.
  [['--role', 'ingest,push'], ['push']],
  [['--role', 'ingest,retry'], ['ingest', 'retry']],
])('roles from %j', (argv, roles) => {
  expect(parseRoles(argv)).toEqual(roles);
});

test('an empty or unknown role is refused by name', () => {
  expect(() => parseRoles(['--role'])).toThrow(/comma list/);
  expect(() => parseRoles(['--role', 'push,mail'])).toThrow('unknown role "mail"');
});
