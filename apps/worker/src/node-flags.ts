/**
 * How every worker process is launched. Measured with `npm run bench` (peak RSS of any worker):
 * - V8 grows the old space lazily to several times the live set under load (a worker's live heap is
 *   ~40 MB; RSS reached ~400 MB), so the heap is bounded: ~255–265 MB, at some 10–15% of ingest speed.
 * - glibc gives each thread its own malloc arena and keeps freed memory in them; two arenas brought the
 *   peak to ~236 MB with no loss of throughput.
 * `package.json`'s `start:worker` repeats both (a test checks it does).
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'] as const;
export const WORKER_ENV = { MALLOC_ARENA_MAX: '2' } as const;
