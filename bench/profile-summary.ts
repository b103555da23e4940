// `npx tsx bench/profile-summary.ts <file.cpuprofile> [--from <function>] [--top N]`: where a worker's time
// went, from a V8 CPU profile (`BENCH_CPU_PROF_DIR=<dir> npm run bench -- --only f`). Self time by function
// and by package/file, and inclusive time of the functions named on the command line. `--from` drops the
// samples before the first one whose stack holds that function (the start-up, outside the bench's window).
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args[0];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--from fn] [--top N] [--incl fn,fn]');
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const top = Number(opt('--top') ?? 40);
const from = opt('--from');
const incl = (opt('--incl') ?? '').split(',').filter(Boolean);

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stackOf = (id: number) => {
  const s: Node[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) s.push(byId.get(at)!);
  return s;
};

/** node_modules/<pkg> or the repo path, for grouping. */
function place(url: string): string {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const m = url.match(/(libs|apps)\/[^?]*/);
  return m ? m[0] : url;
}

let started = from === undefined;
let total = 0;
const self = new Map<string, number>();
const files = new Map<string, number>();
const inclusive = new Map<string, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const leaf = byId.get(profile.samples[i]!)!;
  if (!started) {
    if (stackOf(leaf.id).some((n) => n.callFrame.functionName === from)) started = true;
    else continue;
  }
  total += dt;
  const f = leaf.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${place(f.url)}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  const p = f.functionName === '(garbage collector)' ? '(gc)' : place(f.url);
  files.set(p, (files.get(p) ?? 0) + dt);
  if (incl.length) {
    const names = new Set(stackOf(leaf.id).map((n) => n.callFrame.functionName));
    for (const fn of incl) if (names.has(fn)) inclusive.set(fn, (inclusive.get(fn) ?? 0) + dt);
  }
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
console.log(`${(total / 1e6).toFixed(2)} s of samples${from ? ` from the first ${from}` : ''}`);
show('self time by file / package', files);
show('self time by function', self);
if (incl.length) show('inclusive time', inclusive);
