// `npm run bench -- --only retry,rss-growth` (or letters: `--only h,i`): run a subset of the phases while
// working on one, so a shared machine is not loaded with the whole bench each time.
export const PHASES = {
  a: 'raw',
  b: 'accept',
  c: 'ingest',
  d: 'latency',
  e: 'peak-rss',
  f: 'tickets',
  g: 'renderers',
  h: 'retry',
  i: 'rss-growth',
  j: 'sync',
  k: 'incident-list',
  l: 'round-trips',
  m: 'ticket-latency',
  n: 'failover',
} as const;
export type PhaseLetter = keyof typeof PHASES;

/** Which phases to run: all without `--only`; (c)'s target is a share of (a), so (c) brings (a) along. */
export function selectedPhases(argv: readonly string[]): (phase: PhaseLetter) => boolean {
  const at = argv.indexOf('--only');
  if (at < 0) return () => true;
  const byName = new Map<string, PhaseLetter>(Object.entries(PHASES).flatMap(([l, n]) => [[l, l as PhaseLetter], [n, l as PhaseLetter]]));
  const picked = new Set<PhaseLetter>();
  for (const word of (argv[at + 1] ?? '').split(',').filter(Boolean)) {
    const letter = byName.get(word.trim().toLowerCase());
    if (!letter) throw new Error(`--only: unknown phase "${word}"; phases: ${Object.entries(PHASES).map(([l, n]) => `${l} (${n})`).join(', ')}`);
    picked.add(letter);
  }
  if (picked.size === 0) throw new Error('--only needs a comma-separated list of phases');
  if (picked.has('c')) picked.add('a');
  return (phase) => picked.has(phase);
}
