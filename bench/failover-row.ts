// Row (n): what losing a primary costs (issue 17). The fleet (the API and one push worker) makes tickets
// for incidents POSTed at 20/s against the simulators; 4 s in, the primary dies: PostgreSQL restarted
// (`pg_ctl stop -m fast`, then start, behind the same address), the Redis primary behind Sentinels
// SIGKILLed (its replica promoted), or the Redis Cluster primary serving the ticket-push queue SIGKILLed.
// The figure is the time from the death to the first ticket stored for an incident POSTed after it: how
// long a new incident waits for its first ticket when it arrives just after the death. Each case runs on servers of its own, never the machine's shared ones.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { API_NODE_FLAGS } from '../apps/api/src/node-flags.js';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { QUEUE_NAMES, keyLayout } from '@rhx/queue';
import { TEST_REDIS_URL, removeTestQueues, startPrivatePostgres, startRedisCluster, startRedisSentinelSet, uniqueName } from '@rhx/testing';
import { openLoop } from './http-load.js';
import { sleep, spawnChild, stopChild, waitFor, type Child } from './procs.js';
import { benchDatabase, freePort, incidentBody } from './setup.js';
import { startSimulators, ticketingEnv, type Simulators } from './simulators.js';

export interface FailoverCase {
  what: 'PostgreSQL restarted' | 'Redis Sentinel primary killed' | 'Redis Cluster primary killed';
  /** From the death to the first ticket stored after it. */
  firstTicketMs: number;
  /** The server side alone: the restart, or the promotion the Sentinels or the cluster made. */
  serverMs: number;
  /** POSTs answered 202 / refused while it happened. */
  accepted: number;
  refused: number;
}

const RATE = 20;
const KILL_AFTER_MS = 4000;
const LOAD_MS = 20_000;

export async function measureFailovers(log: (s: string) => void): Promise<FailoverCase[]> {
  const sims = await startSimulators('n', 50);
  try {
    const cases: FailoverCase[] = [];
    for (const run of [postgresCase, sentinelCase, clusterCase]) {
      const c = await run(sims);
      log(`(n) ${c.what}: first ticket ${c.firstTicketMs} ms after (server side ${c.serverMs} ms), ${c.accepted} accepted, ${c.refused} refused`);
      cases.push(c);
    }
    return cases;
  } finally {
    await stopChild(sims.child);
  }
}

async function postgresCase(sims: Simulators): Promise<FailoverCase> {
  const server = await startPrivatePostgres();
  const prefix = uniqueName('rhxbench_n');
  try {
    return await underLoad(sims, { DATABASE_URL: server.url.replace(/\/postgres$/, '/rhythmx'), REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix }, 'PostgreSQL restarted', async () => {
      const t0 = Date.now();
      server.stop();
      server.start();
      return Date.now() - t0;
    });
  } finally {
    await removeTestQueues(prefix);
    server.remove();
  }
}

async function sentinelCase(sims: Simulators): Promise<FailoverCase> {
  const [redis, db] = await Promise.all([startRedisSentinelSet(), benchDatabase()]);
  try {
    return await underLoad(sims, { DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'rhx' }, 'Redis Sentinel primary killed', async () => (await redis.killPrimary()).tookMs);
  } finally {
    await redis.close();
  }
}

async function clusterCase(sims: Simulators): Promise<FailoverCase> {
  const [redis, db] = await Promise.all([startRedisCluster(), benchDatabase()]);
  try {
    const pushQueue = keyLayout('rhx', true).queue(QUEUE_NAMES.ticketPush);
    return await underLoad(sims, { DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'rhx' }, 'Redis Cluster primary killed', async () => (await redis.killPrimaryOf(pushQueue)).tookMs);
  } finally {
    await redis.close();
  }
}

/** Starts the fleet on `servers`, loads it, calls `kill` after KILL_AFTER_MS and reads when tickets resumed. */
async function underLoad(
  sims: Simulators, servers: { DATABASE_URL: string; REDIS_URL: string; QUEUE_PREFIX: string }, what: FailoverCase['what'], kill: () => Promise<number>,
): Promise<FailoverCase> {
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const env = {
    NODE_ENV: 'test', ENV_FILE: '/dev/null', LOG_LEVEL: 'warn', ...servers, ...ticketingEnv(sims),
    API_PORT: String(port), API_TOKEN: token, AUTO_PUSH_MIN_SEVERITY: 'LOW',
    RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '2', UNKNOWN_OUTCOME_SETTLE_SECONDS: '0', HTTP_TIMEOUT_MS: '5000',
  };
  const children: Child[] = [];
  try {
    const api = spawnChild('api-n', 'api', 'apps/api/src/main.ts', [], { ...env, LOG_LEVEL: 'info' }, API_NODE_FLAGS);
    children.push(api);
    await waitFor(() => api.stdout().includes('api listening'), 60_000, 'the API of row (n)', api, 100);
    const worker = spawnChild('worker-n', 'worker', 'apps/worker/src/main.ts', ['--role', 'push,retry'], { ...env, ...WORKER_ENV, LOG_LEVEL: 'info' }, WORKER_NODE_FLAGS);
    children.push(worker);
    await waitFor(() => worker.stdout().includes('worker started'), 60_000, 'the worker of row (n)', worker, 100);
    const stem = `BENCH-N-${randomBytes(3).toString('hex')}`;
    let killedAt = 0;
    let serverMs = 0;
    const [load] = await Promise.all([
      openLoop({ port, token, path: '/v1/incidents' }, RATE, LOAD_MS, (n) => incidentBody(`${stem}-${n}`)),
      (async () => {
        await sleep(KILL_AFTER_MS);
        killedAt = Date.now();
        serverMs = await kill();
      })(),
    ]);
    // Tickets made from work already in hand when the server died say nothing: the first ticket of an
    // incident POSTed after the death is when the fleet works again.
    const after = load.sent.filter((p) => p.status === 202 && p.sentEpochMs > killedAt).map((p) => `${stem}-${p.n}`);
    const firstAfter = async () => {
      const client = new pg.Client({ connectionString: servers.DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ at: number | null }>(
          `SELECT (extract(epoch FROM min(created_at)) * 1000)::float8 AS at FROM ticket_refs WHERE incident_id = ANY($1)`, [after],
        );
        return rows[0]?.at ?? null;
      } finally {
        await client.end();
      }
    };
    let at: number | null = null;
    await waitFor(async () => (at = await firstAfter()) !== null, 60_000, `a ticket of an incident POSTed after "${what}"`, children, 200);
    return { what, firstTicketMs: Math.round(at! - killedAt), serverMs, accepted: load.accepted, refused: load.sent.length - load.accepted };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
  }
}
