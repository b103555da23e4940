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
  // JSON text, the parsed object and the validated copy, held until the statement commits.
  const release = payload.besideBytes ? await deps.memory.reserve(payload.besideBytes * 3) : undefined;
  try {
    const incident = payload.incident ?? (payload.besideBytes ? await readBeside(deps, payload.incidentId, log) : undefined);
    const result = await ingest(deps, payload, incident);
    if (payload.besideBytes) await deps.payloads.remove(payload.incidentId);
    if (!result.claimed) {
      log.debug('duplicate incident-created event ignored');
      return { claimed: false };
    }
    for (const delivery of result.deliveries) {
      await deps.queues.add('ticket-push', { deliveryId: delivery.id, incidentId: payload.incidentId, system: delivery.system }, jobIds.ticketPush(delivery.id));
    }
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
    ...(payload.besideBytes ? { bytes: payload.besideBytes } : {}),
    severity,
    source: payload.source,
    autoPush: { targets: decision.targets, record: { severity, targets: decision.targets, skipped: decision.skipped } },
  });
  if (result.claimed) deps.logger.info({ incidentId: payload.incidentId, severity, autoPush: decision.targets, skipped: decision.skipped }, 'incident ingested');
  return result;
}

/** The incident waiting beside its job, validated again (Redis is not trusted); undefined when it is gone. */
async function readBeside(deps: IngestDeps, incidentId: string, log: Logger): Promise<Incident | undefined> {
  const json = await deps.payloads.get(incidentId);
  if (json === null) {
    // Already stored by an earlier run of this job (which then removed it), or lost with Redis.
    log.warn('the incident waiting beside this job is gone; only an incident already stored can be claimed');
    return undefined;
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
