/**
 * V8 flags every worker process runs with. Left alone, V8 grows the old space lazily to several times
 * the live set under load (a worker's live heap is ~40 MB; its RSS reached ~400 MB in `npm run bench`).
 * A bounded heap keeps a worker near 230 MB at full ingest speed, at some 10–15% of its throughput,
 * so many workers can share a machine predictably. `package.json`'s `start:worker` repeats them
 * (a test checks it does).
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'] as const;
