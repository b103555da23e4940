/**
 * How the API process is launched in production (the image's CMD, compose, the manifests; the bench
 * measures it so). A bounded heap, as for the workers (apps/worker/src/node-flags.ts): under the accept
 * load of bench row (b) the API's RSS otherwise grows lazily past 230 MB; with these it peaks near 150 MB
 * at some 10% of accept rate (still well above the target). 64 MB brought the peak to ~130 MB but leaves
 * too little room for a burst of the largest incidents, so the old space matches the workers'.
 * The semi-spaces are 8 MB, as the workers' are: 16 committed 32 MB of new space under that load and the
 * peak stayed at 147–156 MB; with 8 it is ~129–132 MB, the accept rate within the machine's noise
 * (row b: 1,486 and 1,822/s against 1,571 and 1,636/s with 16, on a shared machine). 12 peaked at 148.
 */
export const API_NODE_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=8'] as const;
