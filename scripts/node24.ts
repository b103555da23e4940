// Prints the path of the Node 24 binary the production smoke test runs on, fetching it once from the npm
// registry (`.ci/run` calls it so the download is cached before the suite's timers start).
import { ensureNode24 } from '../libs/testing/node24.js';

process.stdout.write(`${ensureNode24()}\n`);
