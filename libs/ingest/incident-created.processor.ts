import { UnrecoverableError } from 'bullmq';
import { incidentSchema, InvalidInputError, parseOrThrow, severityFromScore, type Incident } from '@rhx/domain';
import { jobIds, type IncidentPayloadStore, type JobPayload, type MemoryBudget, type Queues } from '@rhx/queue';
import type { Logger } from '@rhx/logger';
import type { AutoPushPolicy } from './auto-push.policy.js';
import type { GroupCommit, IngestCommand, IngestResult } from '@rhx/db';

export interface IngestDeps {
  /** Ingest statements shared by the events in flight together (see IncidentRepository.ingestMany). */
  batcher: GroupCommit<IngestCommand, IngestResult>;
  queues: Queues;
  /** Producer-path incidents too large to travel in their job wait here. */
  payloads: IncidentPayloadStore;
  /** Bounds the incidents read from beside their jobs and held until stored, by bytes. */
  memory: MemoryBudget;
  /** Whether an incident is stored (a copy beside its job that is gone must have been stored). */
  isStored: (incidentId: string) => Promise<boolean>;
  policy: AutoPushPolicy;
  logger: Logger;
}

/**
 * Ingests one incident-created event: stores or claims the incident, records CREATED and the
 * auto-push decision, creates the deliveries, then enqueues one ticket-push job per delivery.
 * A crash between the commit and the enqueue is repaired by the outbox sweeper (pending deliveries).
 */
export async function processIncidentCreated(deps: IngestDeps, payload: JobPayload<'incident-created'>): Promise<{ claimed: boolean }> {
  const log = deps.logger.child({ incidentId: payload.incidentId });
  const { beside } = payload;
  // JSON text, the parsed object and the validated copy, held until the statement commits.
  const release = beside ? await deps.memory.reserve(beside.bytes * 3) : undefined;
  try {
    const incident = payload.incident ?? (beside ? await readBeside(deps, payload.incidentId, beside.nonce, log) : undefined);
    const result = await ingest(deps, payload, incident);
    if (beside) await deps.payloads.remove(payload.incidentId, beside.nonce);
    if (!result.claimed) {
      log.debug('duplicate incident-created event ignored');
      return { claimed: false };
    }
    // One round trip, and side by side in the queue: the incident's pushes run together and read it once.
    await deps.queues.addMany(
      'ticket-push',
      result.deliveries.map((delivery) => ({ data: { deliveryId: delivery.id, incidentId: payload.incidentId, system: delivery.system }, jobId: jobIds.ticketPush(delivery.id) })),
    );
    return { claimed: true };
  } finally {
    release?.();
  }
}

async function ingest(deps: IngestDeps, payload: JobPayload<'incident-created'>, incident: Incident | undefined) {
  const severity = incident ? severityFromScore(incident.risk.score) : payload.severity;
  const decision = await deps.policy.decide(severity);
  const result = await deps.batcher.submit({
    incidentId: payload.incidentId,
    ...(incident ? { incident } : {}),
    ...(payload.beside ? { bytes: payload.beside.bytes } : {}),
    severity,
    source: payload.source,
    autoPush: { targets: decision.targets, record: { severity, targets: decision.targets, skipped: decision.skipped } },
  });
  if (result.claimed) deps.logger.info({ incidentId: payload.incidentId, severity, autoPush: decision.targets, skipped: decision.skipped }, 'incident ingested');
  return result;
}

/**
 * The incident waiting beside its job, validated again (Redis is not trusted). Undefined when the copy
 * is gone because an earlier run of this job stored the incident and removed it.
 */
async function readBeside(deps: IngestDeps, incidentId: string, nonce: string, log: Logger): Promise<Incident | undefined> {
  const json = await deps.payloads.get(incidentId, nonce);
  if (json === null) {
    if (await deps.isStored(incidentId)) return undefined;
    // Expired or lost with Redis before any run stored it: no later attempt can get it back; the failed
    // job stays in the failed set for an operator to see.
    log.error('the incident waiting beside this job is gone and was never stored');
    throw new UnrecoverableError(`the incident ${incidentId} waiting beside this job is gone (expired, or lost with Redis) and was never stored`);
  }
  try {
    const incident = parseOrThrow(incidentSchema, JSON.parse(json), 'incident');
    if (incident.id !== incidentId) throw new InvalidInputError('incident', [{ path: 'id', message: `is ${incident.id}, the job is for ${incidentId}` }]);
    return incident;
  } catch (err) {
    // Not JSON or not an incident: no later attempt can make it one.
    throw new UnrecoverableError(`the incident beside this job is invalid: ${(err as Error).message}`);
  }
}
