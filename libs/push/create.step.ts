import { SYSTEMS, type CreateRequest, type TicketReference } from '@rhx/adapters';
import { cadenceLogLine } from '@rhx/risk';
import { riskLevelOf, type RiskLevel, type TargetSystem } from '@rhx/domain';
import { storedIncident } from './stored-incident.js';
import type { Logger } from '@rhx/logger';
import { LEASE_LOST, noteHealth, type DeliveryStep, type FollowUp, type PushOutcome, type RunContext } from './delivery-run.js';
import type { PushDeps } from './push-deps.js';

/**
 * The create step: makes the ticket of the delivery's generation, exactly once. When an earlier
 * attempt's outcome is unknown (it ended without an answer, or its run's lease expired; the lease only
 * comes once that has settled) it asks the remote for the ticket and adopts it, recorded at the level that
 * attempt carried, instead of creating a second one. Reference, success and history row are one statement;
 * when the incident's level moved meanwhile the cadence gate decides for the late change.
 */
export const createStep: DeliveryStep = {
  what: 'ticket push',

  async prepare(deps, delivery, adapter) {
    // JSON text, the parsed object, the validated copy and the rendering: a few times the stored size.
    const release = await deps.memory.reserve(delivery.payloadBytes * 4);
    try {
      const incident = storedIncident(delivery.payload ?? (await deps.deliveries.loadPayload(delivery.incidentId)));
      const request = await adapter.prepareCreate(incident, delivery.generation, delivery.followsUp ?? undefined);
      const level = riskLevelOf(incident);
      return { level, run: (ctx) => create(ctx, request, level) };
    } finally {
      release();
    }
  },
};

async function create(ctx: RunContext, request: CreateRequest, level: RiskLevel): Promise<PushOutcome> {
  const { deps, delivery, adapter, lease, log } = ctx;
  if (ctx.outcomeUnknown) {
    const existing = await adapter.findExisting(request.incidentId, delivery.generation);
    if (existing) {
      const outcome = await recordTicket(ctx, existing, 'TICKET_ADOPTED', ctx.unknownLevel ?? level);
      log.info({ externalId: existing.externalId }, 'ticket adopted from an earlier attempt');
      return { kind: 'adopted', ref: existing, ...outcome };
    }
  }
  if (!(await deps.deliveries.leases.ensureFor(lease, deps.callLimitMs))) {
    log.warn('the lease of this delivery expired before the create; leaving it to the run that holds it now');
    return LEASE_LOST;
  }
  const ref = await adapter.createTicket(request);
  const outcome = await recordTicket(ctx, ref, 'TICKET_CREATED', level, request.priority);
  log.info({ externalId: ref.externalId, url: ref.url }, 'ticket created');
  return { kind: 'ticket', ref, ...outcome };
}

async function recordTicket(ctx: RunContext, ref: TicketReference, action: 'TICKET_CREATED' | 'TICKET_ADOPTED', level: RiskLevel, priority?: string): Promise<{ followUp?: FollowUp }> {
  const { deps, delivery, lease, log } = ctx;
  const verb = action === 'TICKET_CREATED' ? 'created' : 'adopted';
  const generation = delivery.generation > 1 ? { generation: delivery.generation } : {};
  const history = {
    action,
    message: `${ref.system} ticket ${ref.externalId} ${verb}${delivery.generation > 1 ? ` (generation ${delivery.generation})` : ''}`,
    details: { system: ref.system, externalId: ref.externalId, url: ref.url, level, ...(priority ? { priority } : {}), ...generation },
  };
  const d = { id: delivery.id, incidentId: delivery.incidentId, attempt: lease.attempt, generation: delivery.generation };
  const kept = await deps.deliveries.recordTicket(d, ref, history, level);
  // What the lease exists to prevent; if it happens anyway (a remote that took longer than the lease), say so loudly.
  if (kept.externalId !== ref.externalId) {
    log.error({ externalId: ref.externalId, keptExternalId: kept.externalId }, 'a second ticket exists for this incident; the first reference is kept');
  }
  log.info(cadenceLogLine(SYSTEMS[delivery.system].gateLabel, delivery.incidentId, { push: true, reason: 'first-push' })!);
  await noteHealth(() => deps.health.succeeded(delivery.system), log);
  return kept.late ? gateAfterCreate(deps, log, delivery) : {};
}

/**
 * A risk change that committed while this ticket was being made found no ticket to update: the gate
 * decides for it now. A failure here leaves the ticket as made (the next risk change decides again).
 */
async function gateAfterCreate(deps: PushDeps, log: Logger, d: { incidentId: string; system: TargetSystem }): Promise<{ followUp?: FollowUp }> {
  try {
    const late = await deps.riskChanges.afterCreate(d.incidentId, d.system);
    if (!late) return {};
    const line = cadenceLogLine(SYSTEMS[d.system].gateLabel, d.incidentId, late.decision);
    if (line) log.info({ level: late.level, changedWhileCreating: true }, line);
    return late.deliveryId ? { followUp: { deliveryId: late.deliveryId, incidentId: d.incidentId, system: d.system } } : {};
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not check for a risk change made while the ticket was created');
    return {};
  }
}
