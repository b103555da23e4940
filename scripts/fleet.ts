// `npm start`: the whole fleet for one machine, the API and one worker with every role, as child
// processes in one group, kept running by a small supervisor (scripts/fleet.supervisor.ts): a child
// that dies is restarted with backoff; one that fails at its first start stops the fleet.
import { fileURLToPath } from 'node:url';
import { envFilePath } from '@rhx/config';
import { createLogger } from '@rhx/logger';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { FleetSupervisor } from './fleet.supervisor.js';
import { ensureLocalEnvFile } from './local-env.js';

ensureLocalEnvFile(envFilePath());
const cwd = fileURLToPath(new URL('..', import.meta.url));
const supervisor = new FleetSupervisor(
  [
    { name: 'api', args: ['--import', 'tsx', 'apps/api/src/main.ts'], env: process.env, cwd },
    {
      name: 'worker',
      args: [...WORKER_NODE_FLAGS, '--import', 'tsx', 'apps/worker/src/main.ts', '--role', 'push,retry,sync'],
      env: { ...process.env, ...WORKER_ENV },
      cwd,
    },
  ],
  createLogger({ name: 'fleet', level: 'info' }),
  (code) => process.exit(code),
);
supervisor.start();
process.on('SIGTERM', () => supervisor.stop('SIGTERM'));
process.on('SIGINT', () => supervisor.stop('SIGINT'));
