import { ThrottledCallError, TicketError, type TicketAdapter, type TicketReference } from '@rhx/adapters';
import { incidentSchema, riskChangeSchema, type RiskLevel } from '@rhx/domain';
import { deliveryLogger, type Logger } from '@rhx/logger';
import { renderRiskUpdateNote } from '@rhx/tickets';
import type { Lease } from './deliveries/delivery-lease.js';
import type { DeliveryForPush } from './deliveries/push.statements.js';
import { failureOf, type PushFailure } from './push-failure.js';
import { LEASE_LOST, deferUnsent, noteHealth, prepareThenLease, settleFailure, type PushDeps, type PushOutcome } from './ticket-push.processor.js';

interface PreparedUpdate {
  adapter: TicketAdapter;
  ref: TicketReference;
  note: string;
  level: RiskLevel;
  /** The level whose priority the update sets. */
  newPriorityLevel: RiskLevel;
  scores: { from?: number; to: number };
}

/**
 * Adds one risk change's update (a work note, or a comment in Jira) to the incident's ticket, at most
 * once. It runs under the delivery's lease like a create. The remotes offer no way to ask whether an
 * update arrived, so after an attempt whose outcome is unknown (no answer, or a run that vanished) it is
 * not sent again: the delivery fails with that reason, and an operator's re-drive sends it anyway. Two
 * identical notes are the worse surprise in a case, and a re-drive is one click.
 */
export async function pushUpdate(deps: PushDeps, delivery: DeliveryForPush): Promise<PushOutcome> {
  const d = { id: delivery.id, incidentId: delivery.incidentId, system: delivery.system, update: true } as const;
  const base = { incidentId: d.incidentId, system: d.system, deliveryId: d.id, riskChangeId: delivery.riskChangeId };
  const ready = await prepareThenLease(deps, delivery, d, base, () => prepare(deps, delivery), 'ticket update failed before the remote call');
  if (!('lease' in ready)) return ready;
  const { log, lease, prepared } = ready;
  if (ready.outcomeUnknown) {
    const unknown: PushFailure = {
      code: 'OUTCOME_UNKNOWN',
      outcome: 'FAILED',
      retryable: false,
      message: 'an earlier attempt of this update ended without an answer, so it may have been added; it is not sent again (retry the delivery to send it anyway)',
    };
    return settleFailure(deps, log, { ...d, lease }, unknown, lease.roundAttempt, 'ticket update not sent again');
  }
  return callRemote(deps, log, { ...d, lease }, prepared);
}

async function callRemote(deps: PushDeps, log: Logger, d: { id: string; incidentId: string; system: DeliveryForPush['system']; lease: Lease; update: true }, u: PreparedUpdate): Promise<PushOutcome> {
  try {
    if (!(await deps.deliveries.leases.ensureFor(d.lease, deps.callLimitMs))) {
      log.warn('the lease of this delivery expired before the update; leaving it to the run that holds it now');
      return LEASE_LOST;
    }
    await u.adapter.addUpdate(u.ref, u.note, u.newPriorityLevel);
    const moved = u.scores.from === undefined ? `${u.scores.to}` : `${u.scores.from} → ${u.scores.to}`;
    await deps.deliveries.recordUpdate({ id: d.id, incidentId: d.incidentId, system: d.system, attempt: d.lease.attempt }, u.level, {
      message: `${d.system} ticket ${u.ref.externalId} updated: risk ${moved} (${u.level})`,
      details: { system: d.system, externalId: u.ref.externalId, level: u.level },
    });
    await noteHealth(() => deps.health.succeeded(d.system), log);
    log.info({ externalId: u.ref.externalId, level: u.level }, 'ticket updated');
    return { kind: 'updated', ref: u.ref };
  } catch (err) {
    if (err instanceof ThrottledCallError) return deferUnsent(deps, d, d.lease, err);
    const failure = failureOf(err);
    if (!failure) throw err;
    await noteHealth(() => deps.health.failed(d.system, failure.code, failure.message), log);
    return settleFailure(deps, log, d, failure, d.lease.roundAttempt, 'ticket update failed');
  }
}

/** Readiness, the ticket and the change, then the note from the stored incident within the memory budget. */
async function prepare(deps: PushDeps, delivery: DeliveryForPush): Promise<PreparedUpdate | { skipped: true }> {
  const target = await deps.adapters.forSystem(delivery.system);
  if (!target.ready) {
    await deps.deliveries.recordSkip(delivery, target.reason, `${target.message}; ticket update not sent`);
    deps.logger.warn({ incidentId: delivery.incidentId, system: delivery.system, deliveryId: delivery.id, reason: target.reason }, 'update skipped: target system not ready');
    return { skipped: true };
  }
  const { ref, change, previousLevel } = await deps.deliveries.loadUpdate(delivery);
  if (!ref || !change) {
    throw new TicketError({ code: 'INVALID_REQUEST', retryable: false, message: `the ${ref ? 'risk change' : `${delivery.system} ticket`} this update belongs to is gone` });
  }
  const release = await deps.memory.reserve(delivery.payloadBytes * 4);
  try {
    const incident = incidentSchema.parse(delivery.payload ?? (await deps.deliveries.loadPayload(delivery.incidentId)));
    const parsed = riskChangeSchema.parse(change);
    const options = {
      ...(deps.adapters.options.deepLinkBaseUrl ? { deepLinkBaseUrl: deps.adapters.options.deepLinkBaseUrl } : {}),
      ...(previousLevel ? { previousLevel } : {}),
    };
    // The gate lets an update through only when the level moved from the one the ticket carries, so the
    // priority is always sent: the ticket's priority then follows the level even after skipped changes.
    return {
      adapter: target.adapter,
      ref,
      note: renderRiskUpdateNote(parsed, incident, options),
      level: change.level,
      newPriorityLevel: change.level,
      scores: { to: change.score, ...(change.previousScore !== undefined ? { from: change.previousScore } : {}) },
    };
  } finally {
    release();
  }
}
