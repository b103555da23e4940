// Child processes of the bench: the real API and worker entry points, spawned with `process.execPath`
// directly (so the pid IS the Node process whose memory and CPU we sample), plus their clean-up.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ENTRY_POINTS } from '../scripts/build-entries.js';

/**
 * What the bench runs: the build (`node dist/…js`, what production runs; the bench builds first), or with
 * `BENCH_RUNTIME=tsx` the TypeScript sources through tsx, as `npm start` does, to compare the two.
 */
export const BENCH_RUNTIME: 'dist' | 'tsx' = process.env.BENCH_RUNTIME === 'tsx' ? 'tsx' : 'dist';
const BUILT = new Map(Object.entries(ENTRY_POINTS).map(([name, source]) => [source as string, `dist/${name}.js`]));

/** The node arguments that run `script` (a source path) in the bench's runtime. */
export function nodeArgs(script: string, flags: readonly string[] = []): string[] {
  const built = BENCH_RUNTIME === 'dist' ? BUILT.get(script) : undefined;
  return built ? [...flags, built] : [...flags, '--import', 'tsx', script];
}

export interface Child {
  name: string;
  kind: 'api' | 'worker' | 'simulator';
  proc: ChildProcess;
  pid: number;
  spawnedAt: number;
  /** Last ~64 KB of stdout / stderr (enough for warnings; the bench never needs every line). */
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  exitCode: () => number | null | undefined;
  /** Max VmRSS seen by the 200 ms sampler and the last VmHWM read (kB). */
  rssMaxKb: number;
  hwmKb: number;
  /** VmRSS when the process became ready (set by whoever waits for readiness). */
  readyRssKb: number;
  /** VmRSS at the last sample before the process was stopped. */
  lastRssKb: number;
  /** Milliseconds from spawn to ready (API: /readyz 200; worker: consuming), set by whoever waits for it. */
  readyMs?: number;
}

const KEEP = 64 * 1024;
const children: Child[] = [];

export function allChildren(): readonly Child[] {
  return children;
}

export function spawnChild(
  name: string,
  kind: Child['kind'],
  script: string,
  args: string[],
  env: Record<string, string>,
  flags: readonly string[] = [],
): Child {
  const proc = spawn(process.execPath, [...nodeArgs(script, flags), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`could not spawn ${name}`);
  let out = '';
  let err = '';
  let code: number | null | undefined;
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.length > 2 * KEEP) out = out.slice(-KEEP);
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 2 * KEEP) err = err.slice(-KEEP);
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (c, signal) => {
      code = c ?? (signal ? -1 : null);
      resolve(code);
    }),
  );
  const child: Child = {
    name,
    kind,
    proc,
    pid: proc.pid,
    spawnedAt: Date.now(),
    stdout: () => out,
    stderr: () => err,
    exited,
    exitCode: () => code,
    rssMaxKb: 0,
    hwmKb: 0,
    readyRssKb: 0,
    lastRssKb: 0,
  };
  children.push(child);
  return child;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until true; fails early if `child` exits meanwhile. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  watch: Child | Child[] = [],
  everyMs = 50,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    for (const child of Array.isArray(watch) ? watch : [watch]) {
      if (child.exitCode() !== undefined) {
        throw new Error(`${child.name} exited (${child.exitCode()}) while waiting for ${what}: ${child.stderr().slice(-2000)}`);
      }
    }
    if (await Promise.resolve().then(check).catch(() => false)) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function sampleMemory(c: Child): void {
  if (c.exitCode() !== undefined) return;
  const rss = readStatusKb(c.pid, 'VmRSS');
  const hwm = readStatusKb(c.pid, 'VmHWM');
  if (rss !== undefined) {
    c.rssMaxKb = Math.max(c.rssMaxKb, rss);
    c.lastRssKb = rss;
  }
  if (hwm !== undefined) c.hwmKb = Math.max(c.hwmKb, hwm);
}

let sampler: NodeJS.Timeout | undefined;
/** Samples VmRSS / VmHWM of every live child every 200 ms. */
export function startMemorySampler(): void {
  sampler ??= setInterval(() => children.forEach(sampleMemory), 200);
  sampler.unref();
}

export function stopMemorySampler(): void {
  clearInterval(sampler);
  sampler = undefined;
}

/** SIGTERM, then SIGKILL after `graceMs`; reads VmHWM right before the signal. */
export async function stopChild(c: Child, graceMs = 10_000): Promise<void> {
  if (c.exitCode() !== undefined) return;
  sampleMemory(c);
  c.proc.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (c.exitCode() === undefined) c.proc.kill('SIGKILL');
  }, graceMs);
  await c.exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all(children.map((c) => stopChild(c)));
}

/** Last-ditch clean-up on an unexpected exit of the bench itself. */
export function killAllNow(): void {
  for (const c of children) if (c.exitCode() === undefined) c.proc.kill('SIGKILL');
}

/** The lines of a child's stdout/stderr that are warnings or errors (pino JSON level ≥ 40), deduplicated. */
export function warningsOf(c: Child, max = 5): string[] {
  const seen = new Map<string, number>();
  for (const line of `${c.stdout()}\n${c.stderr()}`.split('\n')) {
    if (!line.trim()) continue;
    let key = line.slice(0, 300);
    try {
      const j = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
      if ((j.level ?? 0) < 40) continue;
      key = `${j.msg ?? ''} ${j.err ? JSON.stringify(j.err).slice(0, 200) : ''}`.trim();
    } catch {
      /* not JSON: keep it as is */
    }
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].slice(0, max).map(([k, n]) => `${n}× ${k}`);
}
