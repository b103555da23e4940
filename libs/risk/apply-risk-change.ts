import { jobIds, type Queues } from '@rhx/queue';
import type { Logger } from '@rhx/logger';
import type { RiskChange, TargetSystem } from '@rhx/domain';
import { SYSTEMS } from '@rhx/adapters';
import { cadenceLogLine } from './cadence-gate.js';
import type { RecordedRiskChange, RiskChanges } from './risk-change.store.js';

export interface RiskChangeDeps {
  riskChanges: RiskChanges;
  queues: Pick<Queues, 'add'>;
  logger: Pick<Logger, 'info' | 'warn' | 'debug'>;
  /** The systems whose resolved tickets a rise reopens (their `lifecycle.reopen`); none when absent. */
  reopening?: () => Promise<readonly TargetSystem[]>;
}

/**
 * One risk-changed event, from the API or the queue: stored with its gate decisions in one transaction,
 * each decision logged in the contract's words, then the updates the gate let through are queued. The
 * queue is only a signal: an update delivery whose job never made it is PENDING in the database, where
 * the reconciler finds it.
 * @returns null when the incident is not known.
 */
export async function applyRiskChange(deps: RiskChangeDeps, incidentId: string, change: RiskChange, source: string): Promise<RecordedRiskChange | null> {
  const recorded = await deps.riskChanges.record(incidentId, change, source, (await deps.reopening?.()) ?? []);
  if (!recorded) return null;
  if (recorded.stale) {
    deps.logger.info({ incidentId, changeId: recorded.changeId, score: change.score, observedAt: change.observedAt, source }, 'risk change observed before the last applied one; it moves nothing');
    return recorded;
  }
  deps.logger.info({ incidentId, changeId: recorded.changeId, from: recorded.from, to: recorded.to, source }, 'risk changed');
  for (const t of recorded.tickets) {
    const line = cadenceLogLine(SYSTEMS[t.system].gateLabel, incidentId, t.decision);
    const fields = { incidentId, system: t.system, externalId: t.externalId, level: recorded.to.level, ...(t.deliveryId ? { deliveryId: t.deliveryId } : {}) };
    if (line) deps.logger.info(fields, line);
    else deps.logger.debug(fields, 'risk level unchanged; the ticket already carries it');
  }
  for (const t of recorded.tickets) {
    if (!t.deliveryId) continue;
    const payload = { deliveryId: t.deliveryId, incidentId, system: t.system };
    await deps.queues.add('ticket-push', payload, jobIds.ticketPush(t.deliveryId)).catch((err: unknown) =>
      deps.logger.warn({ ...payload, err: (err as Error).message }, 'update not queued; the reconciler will queue it'),
    );
  }
  return recorded;
}
