// `npm start`: the whole fleet for one machine: the API and one worker with every role, as child
// processes in one group. SIGTERM/SIGINT go to both; if either dies, the other is stopped too.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { ensureLocalEnvFile } from './local-env.js';

ensureLocalEnvFile();
const root = fileURLToPath(new URL('..', import.meta.url));
const run = (entry: string, args: string[] = [], flags: readonly string[] = [], env: Record<string, string> = {}) =>
  spawn(process.execPath, [...flags, '--import', 'tsx', entry, ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

const children: ChildProcess[] = [
  run('apps/api/src/main.ts'),
  run('apps/worker/src/main.ts', ['--role', 'push,retry,sync'], WORKER_NODE_FLAGS, WORKER_ENV),
];
let stopping = false;
let exitCode = 0;

function stopAll(signal: NodeJS.Signals) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}

for (const child of children) {
  child.on('exit', (code) => {
    if (!stopping) {
      exitCode = code ?? 1;
      stopAll('SIGTERM');
    }
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(exitCode);
  });
}
process.on('SIGTERM', () => stopAll('SIGTERM'));
process.on('SIGINT', () => stopAll('SIGTERM'));
