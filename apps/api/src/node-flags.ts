/**
 * How the API process is launched in production (the image's CMD, compose, the manifests; the bench
 * measures it so). A bounded heap, as for the workers (apps/worker/src/node-flags.ts): under the accept
 * load of bench row (b) the API's RSS otherwise grows lazily past 230 MB; with these it peaks near 150 MB
 * at some 10% of accept rate (still well above the target). 64 MB brought the peak to ~130 MB but leaves
 * too little room for a burst of the largest incidents, so the old space matches the workers'.
 */
export const API_NODE_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=16'] as const;
