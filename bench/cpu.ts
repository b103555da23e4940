// Where the time goes: CPU of postgres, redis-server, the bench's children and the bench itself over a
// measurement window, from utime+stime in /proc/<pid>/stat, each as % of ONE core.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

const cores = os.cpus().length;

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* 100 is the Linux default */
}

/** utime+stime of one process, in ticks; undefined once it is gone. */
function ticks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of stat(5), counted after "pid (comm) "
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function allPids(): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);
}

/** The database of a PostgreSQL backend, from its title `postgres: [cluster: ]user db host(port) state`. */
function backendDatabase(title: string): string | undefined {
  const words = title.split(': ').at(-1)?.split(' ') ?? [];
  return words.length >= 3 && /\(\d+\)$|^\[local\]$/.test(words[2]!) ? words[1] : undefined;
}

/**
 * postgres (postmaster, background workers, backends), redis-server, or undefined. With `database`,
 * backends of other databases (test runs sharing the server) are left out: they are not the fleet's.
 */
function serverGroup(pid: number, database?: string): string | undefined {
  const c = comm(pid);
  if (c === 'redis-server') return 'redis';
  const title = cmdline(pid);
  if (c !== 'postgres' && !title.startsWith('postgres:')) return undefined;
  const db = database === undefined ? undefined : backendDatabase(title);
  return db === undefined || db === database ? 'postgres' : undefined;
}

/** A short label for a process that is not the bench's: `node jest`, `node tsc`, `beam.smp`… */
function otherLabel(pid: number): string {
  const c = comm(pid);
  const args = cmdline(pid).split(' ');
  if (c === 'postgres') return 'postgres (other databases)';
  if (c === 'node' || c.startsWith('node')) {
    const script = args.slice(1).find((a) => !a.startsWith('-')) ?? '';
    return `node ${script.split('/').filter(Boolean).slice(-2).join('/')}`.trim();
  }
  return c || `pid ${pid}`;
}

/** Total busy and all ticks of the machine (/proc/stat "cpu" line). */
function machine(): { busy: number; all: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const all = v.reduce((a, b) => a + b, 0);
  return { busy: all - idle, all };
}

export interface CpuReport {
  seconds: number;
  /** group → % of one core over the window (groups: the caller's, postgres, redis, bench, other). */
  byGroup: Record<string, number>;
  /** The biggest other (not bench-related) processes, "label pct%". */
  others: string[];
  /** The whole machine's busy share, % of all cores (100 = every core busy). */
  machineBusyPct: number;
}

/**
 * Starts a window. `groups` names the bench's own children (e.g. {worker: [pids], api: [pid]}); postgres,
 * redis, the bench process and everything else on the machine ("other") are added. Processes born during
 * the window count from zero; processes that die during it are lost (they show in the machine total only).
 * `database`: count only that database's PostgreSQL backends (and the server's shared processes) as postgres.
 */
export function cpuWindow(groups: Record<string, number[]>, options: { database?: string } = {}): { stop: () => CpuReport } {
  const t0 = performance.now();
  const m0 = machine();
  const named = new Map<number, string>();
  for (const [g, pids] of Object.entries(groups)) for (const pid of pids) named.set(pid, g);
  named.set(process.pid, 'bench');
  const base = new Map<number, number>();
  for (const pid of allPids()) base.set(pid, ticks(pid) ?? 0);
  return {
    stop: () => {
      const seconds = (performance.now() - t0) / 1000;
      const m1 = machine();
      const byTicks: Record<string, number> = {};
      const otherTicks = new Map<string, number>();
      for (const pid of allPids()) {
        const now = ticks(pid);
        if (now === undefined) continue;
        const delta = now - (base.get(pid) ?? 0);
        if (delta <= 0) continue;
        const g = named.get(pid) ?? serverGroup(pid, options.database);
        if (g) byTicks[g] = (byTicks[g] ?? 0) + delta;
        else {
          byTicks.other = (byTicks.other ?? 0) + delta;
          const label = otherLabel(pid);
          otherTicks.set(label, (otherTicks.get(label) ?? 0) + delta);
        }
      }
      const pct = (t: number) => Math.round((t / clkTck / seconds) * 1000) / 10;
      const byGroup: Record<string, number> = {};
      for (const [g, t] of Object.entries(byTicks)) byGroup[g] = pct(t);
      const others = [...otherTicks]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .filter(([, t]) => pct(t) >= 1)
        .map(([label, t]) => `${label} ${pct(t)}%`);
      const machineBusyPct = Math.round(((m1.busy - m0.busy) / Math.max(1, m1.all - m0.all)) * 1000) / 10;
      return { seconds, byGroup, others, machineBusyPct };
    },
  };
}

export function formatCpu(r: CpuReport): string {
  const parts = Object.entries(r.byGroup)
    .sort((a, b) => b[1] - a[1])
    .map(([g, pct]) => `${g} ${pct}%`);
  const others = r.others.length > 0 ? ` (other = not bench-related: ${r.others.join(', ')})` : '';
  return `CPU over ${r.seconds.toFixed(1)} s (% of one core): ${parts.join(', ')}${others}; machine busy ${r.machineBusyPct}% of ${cores} cores`;
}
