import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach } from '@jest/globals';

/** A process a test started, with everything it printed so far. */
export interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

const ROOT = process.cwd();
// What `--import tsx` resolves to from the checkout, named so that it loads from any working directory.
const TSX = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const running = new Set<ChildProcess>();

/**
 * Starts `node --import tsx <script>` as the leader of its own process group, with only PATH, HOME and
 * `env`, and `ENV_FILE=/dev/null`: no test depends on (or is broken by) a developer's `.env`, wherever
 * the process runs (`cwd`, default the checkout). Every process is tracked and, with all it started,
 * killed by {@link killEveryChild} after each test, including one that failed or timed out.
 */
export function run(script: string, args: string[], env: Record<string, string>, options: { cwd?: string; nodeFlags?: readonly string[] } = {}): Run {
  const started = Date.now();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', TSX, resolve(ROOT, script), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ENV_FILE: '/dev/null',
      TSX_TSCONFIG_PATH: resolve(ROOT, 'tsconfig.json'),
      ...env,
    },
    cwd: options.cwd ?? ROOT,
    detached: true,
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal, ms: Date.now() - started })),
  );
  // The group may outlive its leader (a fleet's children), so it stays tracked until killed.
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs the process group of every process started by {@link run}; synchronous, so usable on exit. */
export function killEveryChild(): void {
  for (const child of running) {
    if (child.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    running.delete(child);
  }
}

/** Registers the clean-up in the calling test file: after each test, after all, and at process exit. */
export function killChildrenAfterEachTest(): void {
  afterEach(killEveryChild);
  afterAll(killEveryChild);
  process.on('exit', killEveryChild);
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
