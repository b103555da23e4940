// Where the time goes: CPU of postgres, redis-server, the bench's children and the bench itself over a
// measurement window, from utime+stime in /proc/<pid>/stat, each as % of ONE core.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

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

/** Every postgres process (postmaster, backends, background workers) and redis-server, by scanning /proc. */
function serverPids(): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'redis-server') out.set(pid, 'redis');
    else if (comm === 'postgres' || cmdline(pid).startsWith('postgres:')) out.set(pid, 'postgres');
  }
  return out;
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
  /** group → % of one core over the window. */
  byGroup: Record<string, number>;
  /** The whole machine's busy share, % of all cores (100 = every core busy). */
  machineBusyPct: number;
}

/**
 * Starts a window. `groups` names the bench's own children (e.g. {worker: [pids], api: [pid]}); postgres,
 * redis and the bench process are added. Processes born during the window count from zero; processes that
 * die during it are lost (short-lived ones only: the children are stopped after the window closes).
 */
export function cpuWindow(groups: Record<string, number[]>): { stop: () => CpuReport } {
  const t0 = performance.now();
  const m0 = machine();
  const base = new Map<number, number>();
  const named = new Map<number, string>();
  for (const [g, pids] of Object.entries(groups)) for (const pid of pids) named.set(pid, g);
  named.set(process.pid, 'bench');
  for (const [pid, g] of serverPids()) named.set(pid, g);
  for (const pid of named.keys()) base.set(pid, ticks(pid) ?? 0);
  return {
    stop: () => {
      const seconds = (performance.now() - t0) / 1000;
      const m1 = machine();
      for (const [pid, g] of serverPids()) if (!named.has(pid)) named.set(pid, g);
      const byTicks: Record<string, number> = {};
      for (const [pid, g] of named) {
        const now = ticks(pid);
        if (now === undefined) continue;
        byTicks[g] = (byTicks[g] ?? 0) + (now - (base.get(pid) ?? 0));
      }
      const byGroup: Record<string, number> = {};
      for (const [g, t] of Object.entries(byTicks)) byGroup[g] = Math.round((t / clkTck / seconds) * 1000) / 10;
      const machineBusyPct = Math.round(((m1.busy - m0.busy) / Math.max(1, m1.all - m0.all)) * 1000) / 10;
      return { seconds, byGroup, machineBusyPct };
    },
  };
}

export function formatCpu(r: CpuReport): string {
  const parts = Object.entries(r.byGroup)
    .sort((a, b) => b[1] - a[1])
    .map(([g, pct]) => `${g} ${pct}%`);
  return `CPU over ${r.seconds.toFixed(1)} s (% of one core): ${parts.join(', ')}; machine busy ${r.machineBusyPct}% of ${'all cores'}`;
}
