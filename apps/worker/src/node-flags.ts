/**
 * How every worker process is launched. Measured with `npm run bench` (peak RSS of any worker):
 * - V8 grows the old space lazily to several times the live set under load (a worker's live heap is
 *   ~40 MB; RSS reached ~400 MB), so the heap is bounded: ~255–265 MB, at some 10–15% of ingest speed.
 * - glibc gives each thread its own malloc arena and keeps freed memory in them; two arenas brought the
 *   peak to ~236 MB with no loss of throughput.
 * - The young generation was 16 MB semi-spaces, not 4: with 4, scavenges took 19% of a push worker's
 *   samples and the fleet spent 6.6 ms of CPU per ticket; 16 took ~0.9 ms per ticket off the worker
 *   (bench row f) for some 20 MB of peak RSS. 32 took another 0.2 ms and cost 50 MB more.
 * - The old space is 96 MB, not 128, since the workers stopped loading Prisma's query engine (~70 MB):
 *   a worker is ready at ~100 MB and peaks near 150 under the ticket load; 96 against 128 cost no CPU
 *   per ticket measurably (bench row f, back to back) and ~5 MB less at the peak.
 * - The semi-spaces are now 8 MB, not 16: under the ticket load both semi-spaces are committed, so 16 cost
 *   32 MB of the peak. With 8 the worst worker peaks at ~139 MB instead of 153–163 (bench rows e/i), and
 *   the CPU per ticket did not move beyond the machine's noise (row f, 16 and 8 alternated twice: worker
 *   3.01/2.80 against 2.97/3.02 ms): a scavenge costs what survives it, and as many bytes survive (the
 *   deliveries in flight) whether it runs every 8 or every 16 MB, so twice the scavenges took about the
 *   same time in all. 12 saved too little (the new space is what it saves, ~8 MB).
 * - The garbage collector runs on the main thread alone (`--single-threaded-gc`): V8's helper threads
 *   shorten a pause but cost more CPU in all (they hand work over and wait for each other), and a worker
 *   waits on the network, not on its pauses. Bench row (f) back to back, alternated twice, worker CPU per
 *   ticket against the simulators' (the machine's speed of the moment): 5-6% less, end to end and push
 *   alone alike. GC was a fifth of a push worker's samples. The API keeps its helpers (its latency counts).
 * - With the collector on one thread, 12 MB semi-spaces took another 5-9% off the worker's CPU per ticket
 *   (row (f), alternated with 8), but a full `npm run bench` put the worst worker at 158 MB (row (i)'s
 *   20,000 tickets; (f)'s and (h)'s at 153), past the 150 MB budget: they stay at 8 (worst 141 MB).
 * `package.json`'s `start:worker` repeats them (a test checks it does).
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=8', '--single-threaded-gc'] as const;
export const WORKER_ENV = { MALLOC_ARENA_MAX: '2' } as const;
