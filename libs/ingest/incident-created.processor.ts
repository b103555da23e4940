import { severityFromScore } from '@rhx/domain';
import { jobIds, type JobPayload, type Queues } from '@rhx/queue';
import type { Logger } from '@rhx/logger';
import type { AutoPushPolicy } from './auto-push.policy.js';
import type { GroupCommit, IngestCommand, IngestResult } from '@rhx/db';

export interface IngestDeps {
  /** Ingest statements shared by the events in flight together (see IncidentRepository.ingestMany). */
  batcher: GroupCommit<IngestCommand, IngestResult>;
  queues: Queues;
  policy: AutoPushPolicy;
  logger: Logger;
}

/**
 * Ingests one incident-created event: stores or claims the incident, records CREATED and the
 * auto-push decision, creates the deliveries, then enqueues one ticket-push job per delivery.
 * A crash between the commit and the enqueue is repaired by the outbox sweeper (pending deliveries).
 */
export async function processIncidentCreated(deps: IngestDeps, payload: JobPayload<'incident-created'>): Promise<{ claimed: boolean }> {
  const severity = payload.incident ? severityFromScore(payload.incident.risk.score) : payload.severity;
  const decision = await deps.policy.decide(severity);
  const result = await deps.batcher.submit({
    incidentId: payload.incidentId,
    ...(payload.incident ? { incident: payload.incident } : {}),
    severity,
    source: payload.source,
    autoPush: { targets: decision.targets, record: { severity, targets: decision.targets, skipped: decision.skipped } },
  });
  const log = deps.logger.child({ incidentId: payload.incidentId });
  if (!result.claimed) {
    log.debug('duplicate incident-created event ignored');
    return { claimed: false };
  }
  for (const delivery of result.deliveries) {
    await deps.queues.add(
      'ticket-push',
      { deliveryId: delivery.id, incidentId: payload.incidentId, system: delivery.system },
      jobIds.ticketPush(delivery.id),
    );
  }
  log.info({ severity, autoPush: decision.targets, skipped: decision.skipped }, 'incident ingested');
  return { claimed: true };
}
