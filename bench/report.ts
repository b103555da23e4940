// The bench's results as phases add them: the table's rows, the "where the time goes" lines and the
// anomalies, shared by run.ts and the phase files that add their own rows.
import { formatCpu, type CpuReport } from './cpu.js';

export interface Result {
  name: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
  note?: string;
}

export const results: Result[] = [];
export const whereTimeGoes: string[] = [];
export const anomalies: string[] = [];
export const log = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
export const round = (v: number, d = 0) => Math.round(v * 10 ** d) / 10 ** d;

/** Adds a row; a missed target gets a "where the time goes" line from `explain` and the window's CPU. */
export function add(r: Result, cpu?: CpuReport, explain?: string): void {
  results.push(r);
  if (cpu && (cpu.byGroup.other ?? 0) >= 10) {
    anomalies.push(`${r.name.slice(0, 3)} the machine was shared: other processes used ${cpu.byGroup.other}% of a core during the window (${cpu.others.join(', ')})`);
  }
  if (r.met === false) whereTimeGoes.push(`${r.name}: ${[explain, cpu && formatCpu(cpu)].filter(Boolean).join('; ')}`);
}

/** CPU milliseconds each process group spent per item (job, request, incident) over a window. */
export function perItem(cpu: CpuReport, items: number, what: string): string {
  const parts = Object.entries(cpu.byGroup)
    .filter(([g, pct]) => g !== 'other' && pct >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([g, pct]) => `${g} ${cpuMs(cpu, [g], items).toFixed(3)}`);
  return `CPU ms per ${what}: ${parts.join(', ')}`;
}

/** CPU milliseconds the named groups spent together per item over a window. */
export function cpuMs(cpu: CpuReport, groups: string[], items: number): number {
  const pct = groups.reduce((sum, g) => sum + (cpu.byGroup[g] ?? 0), 0);
  return ((pct / 100) * cpu.seconds * 1000) / items;
}
