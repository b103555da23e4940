// The demo's fleet: the API and one worker with every role, as child processes on a fresh database
// and queue prefix, with the HTTP helpers both demo stories use.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dropDatabase } from '@rhx/db';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';

export const root = fileURLToPath(new URL('..', import.meta.url));

export interface DemoFleet {
  base: string;
  token: string;
  board: { user: string; password: string };
  /** The operator console's sign-in. */
  operator: { user: string; password: string };
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }>;
  until(check: () => Promise<boolean>, ms: number): Promise<boolean>;
  stop(code: number): Promise<never>;
}

/**
 * Starts the fleet with `env` on top of the demo's own settings and waits until it is ready. Every log
 * line the children write at `LOG_LEVEL` is passed to `onLog` (parsed), none is printed.
 */
export async function startDemoFleet(env: Record<string, string>, options: { onLog?: (line: { msg?: string } & Record<string, unknown>) => void; onStop?: () => Promise<void> } = {}): Promise<DemoFleet> {
  const port = Number(process.env.DEMO_PORT ?? 8089);
  const base = `http://127.0.0.1:${port}`;
  const token = randomBytes(18).toString('base64url');
  const board = { user: 'operator', password: randomBytes(9).toString('base64url') };
  const operator = { user: 'admin', password: randomBytes(12).toString('base64url') };
  const databaseUrl = process.env.DEMO_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/rhythmx_demo';
  await dropDatabase(databaseUrl); // a clean slate each run
  const all = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: `rhx-demo-${randomBytes(3).toString('hex')}`,
    API_PORT: String(port),
    API_TOKEN: token,
    BULL_BOARD_USER: board.user,
    BULL_BOARD_PASSWORD: board.password,
    CONSOLE_USER: operator.user,
    CONSOLE_PASSWORD: operator.password,
    SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RHYTHMX_BASE_URL: 'https://rhythmx.example',
    ENV_FILE: '/dev/null',
    ...env,
  };
  const children: ChildProcess[] = [
    { entry: 'apps/api/src/main.ts', flags: [] as readonly string[], extra: {}, args: [] as string[] },
    { entry: 'apps/worker/src/main.ts', flags: WORKER_NODE_FLAGS, extra: WORKER_ENV, args: ['--role', 'push,retry,sync'] },
  ].map(({ entry, flags, extra, args }) => {
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', entry, ...args], { cwd: root, env: { ...all, ...extra }, stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout! }).on('line', (text) => {
      try {
        options.onLog?.(JSON.parse(text));
      } catch {
        process.stdout.write(`${text}\n`);
      }
    });
    return child;
  });
  const stop = async (code: number): Promise<never> => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('exit', r)))));
    await options.onStop?.();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const api: DemoFleet['api'] = async (method, path, body) => {
    const payload = body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) };
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...payload });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  const until: DemoFleet['until'] = async (check, ms) => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await check().catch(() => false)) return true;
    return false;
  };
  if (!(await until(async () => (await fetch(`${base}/readyz`)).ok, 60_000))) {
    console.error('the fleet did not become ready in 60 s');
    await stop(1);
  }
  return { base, token, board, operator, api, until, stop };
}

/** The closing lines of both stories: where to look next and with which sign-in. */
export function printWhereToLook(fleet: DemoFleet): void {
  console.log(`Console: ${fleet.base}/console  (sign in as ${fleet.operator.user}, password ${fleet.operator.password})`);
  console.log(`Bull Board: ${fleet.base}/admin/queues  (user ${fleet.board.user}, password ${fleet.board.password})`);
  console.log(`API: ${fleet.base}  (Authorization: Bearer ${fleet.token}); reference at ${fleet.base}/docs`);
}
