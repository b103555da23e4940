import { FAILOVER_WAIT_MS, throughFailover } from './through-failover.js';
import { Queue } from 'bullmq';
import { InvalidInputError, MAX_INCIDENT_BYTES, incidentSchema, parseOrThrow, severityFromScore, type Incident } from '@rhx/domain';
import {
  INLINE_INCIDENT_BYTES, IncidentPayloadStore, QUEUE_NAMES, catalogueJob, createRedisConnection, jobIds, keyLayoutOf,
  type JobInput, type JobRetention, type RedisClient,
} from '@rhx/queue';

export interface EnqueueOptions {
  /** BullMQ key prefix of the fleet (QUEUE_PREFIX); default `rhx`. */
  prefix?: string;
  /**
   * `producer` (default): the incident travels in the job and the worker stores it.
   * `api`: the caller already stored it in PostgreSQL (the outbox), so the job carries only its id.
   */
  source?: 'producer' | 'api';
  /** API path: each incident's outbox stamp (see `jobIds.incidentCreated`), by incident id. */
  outboxStamps?: ReadonlyMap<string, number>;
  /** How long finished jobs are kept (the fleet's `QUEUE_KEEP_*`, see `jobRetentionFrom`); the defaults otherwise. */
  retention?: JobRetention;
  /** How long to keep trying while Redis is away or failing over (default 20 s; 3 s on the API path). */
  failoverWaitMs?: number;
}


/**
 * Validates an incident with the API's own schema.
 * @throws InvalidInputError naming every offending field by JSON path.
 */
export function validateIncident(input: unknown): Incident {
  return parseOrThrow(incidentSchema, input, 'incident');
}

const queues = new WeakMap<RedisClient, Map<string, Queue>>();

/** The incident-events queue's prefix on `connection` (on Redis Cluster, its own hash tag). */
const eventsPrefix = (connection: RedisClient, prefix: string) => keyLayoutOf(connection, prefix).queue(QUEUE_NAMES.incidentEvents);

function queueFor(connection: RedisClient, prefix: string): Queue {
  let byPrefix = queues.get(connection);
  if (!byPrefix) queues.set(connection, (byPrefix = new Map()));
  let queue = byPrefix.get(prefix);
  if (!queue) {
    byPrefix.set(prefix, (queue = new Queue(QUEUE_NAMES.incidentEvents, { connection, prefix: eventsPrefix(connection, prefix) })));
    // Connection errors reach the caller through the enqueue itself (retried through a failover); without a
    // listener BullMQ would also print each one on the console.
    queue.on('error', () => {});
  }
  return queue;
}

/**
 * Validates `input` and enqueues an incident-created event for it, idempotently on the incident id:
 * while the first job exists a second enqueue is a no-op, and after that the worker's database check
 * makes a duplicate change nothing.
 * @param target an ioredis connection (reused, not closed) or a Redis URL (connected and closed here).
 * @throws InvalidInputError for an invalid incident or one over 2 MB as JSON; nothing is enqueued then.
 */
export async function enqueueIncident(target: RedisClient | string, input: unknown, options: EnqueueOptions = {}): Promise<Incident> {
  const incident = validateIncident(input);
  // The API's body limit, for the way in that has no body: a worker holds a job's incident whole.
  const bytes = Buffer.byteLength(JSON.stringify(incident));
  if (bytes > MAX_INCIDENT_BYTES) {
    throw new InvalidInputError('incident', [{ path: '$', message: `is ${bytes} bytes as JSON; at most ${MAX_INCIDENT_BYTES} are accepted` }]);
  }
  await enqueueValidIncident(target, incident, options);
  return incident;
}

/** {@link enqueueIncident} for an incident that has already passed {@link validateIncident}. */
export async function enqueueValidIncident(target: RedisClient | string, incident: Incident, options: EnqueueOptions = {}): Promise<void> {
  await enqueueValidIncidents(target, [incident], options);
}

/**
 * Enqueues validated incidents in one round trip (BullMQ addBulk), each with its idempotent job id.
 * On the producer path an incident over {@link INLINE_INCIDENT_BYTES} of JSON is stored beside its job
 * first, so that a worker holds it only when its memory budget allows.
 */
export async function enqueueValidIncidents(target: RedisClient | string, incidents: Incident[], options: EnqueueOptions = {}): Promise<void> {
  const source = options.source ?? 'producer';
  const prefix = options.prefix ?? 'rhx';
  const own = typeof target === 'string' ? createRedisConnection(target, 'producer', { enableOfflineQueue: true }) : undefined;
  const connection = own ?? (target as RedisClient);
  const queue = queueFor(connection, prefix);
  const payloads = new IncidentPayloadStore(connection, eventsPrefix(connection, prefix));
  try {
    const jobs = [];
    for (const incident of incidents) {
      const data: JobInput<'incident-created'> = { incidentId: incident.id, source, severity: severityFromScore(incident.risk.score) };
      if (source === 'producer') Object.assign(data, await carry(payloads, incident));
      jobs.push(catalogueJob('incident-created', data, jobIds.incidentCreated(incident.id, options.outboxStamps?.get(incident.id)), options.retention));
    }
    // The API path has the incident in PostgreSQL already (the outbox sweeper covers a lost job): a short
    // wait and no replica confirmation. The producer path's job is the only copy until it is ingested.
    const batch = jobs;
    await throughFailover(connection, async () => {
      await queue.addBulk(batch);
    }, { limitMs: options.failoverWaitMs ?? (source === 'api' ? 3000 : FAILOVER_WAIT_MS), confirm: source === 'producer', key: `${queue.qualifiedName}:meta` });
    await dropUnusedCopies(queue, payloads, jobs);
  } finally {
    if (own) {
      await queue.close();
      own.disconnect();
    }
  }
}

/** What of the incident goes in the job: itself when small, else the size and nonce of its copy beside the job. */
async function carry(payloads: IncidentPayloadStore, incident: Incident): Promise<Pick<JobInput<'incident-created'>, 'incident' | 'beside'>> {
  const json = JSON.stringify(incident);
  const bytes = Buffer.byteLength(json);
  if (bytes <= INLINE_INCIDENT_BYTES) return { incident };
  const nonce = IncidentPayloadStore.nonce();
  await payloads.put(incident.id, nonce, json);
  return { beside: { bytes, nonce } };
}

// A job id that already existed made the add a no-op: the copy written for it would never be read.
async function dropUnusedCopies(queue: Queue, payloads: IncidentPayloadStore, jobs: { data: JobInput<'incident-created'>; opts: { jobId?: string } }[]) {
  for (const { data, opts } of jobs) {
    if (!data.beside || !opts.jobId) continue;
    const stored = await queue.getJob(opts.jobId);
    const storedNonce = (stored?.data as JobInput<'incident-created'> | undefined)?.beside?.nonce;
    if (storedNonce !== data.beside.nonce) await payloads.remove(data.incidentId, data.beside.nonce);
  }
}
