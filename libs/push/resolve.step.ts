import { TicketError, type TicketReference } from '@rhx/adapters';
import type { CarriedClosure } from '@rhx/deliveries';
import { CALLS_PER_LEASE } from './push-deps.js';
import { LEASE_LOST, noteHealth, skipOff, type DeliveryStep, type PushOutcome, type RunContext } from './delivery-run.js';

/**
 * The note a resolve adds to the ticket: the analyst's own words when they gave some, else why the
 * incident closed (by an analyst in RhythmX, or because another system's ticket was resolved).
 */
export function resolveNote(closure: CarriedClosure): string {
  const status = closure.analystStatus === 'FALSE_POSITIVE' ? 'a false positive' : 'closed';
  const why = closure.externalId
    ? `The incident was closed in RhythmX because its ${closure.system ?? 'other'} ticket ${closure.externalId} was resolved.`
    : `The incident was marked ${status} in RhythmX.`;
  return closure.note ? `${why}\n\n${closure.note}` : why;
}

/**
 * The resolve step: resolves the ticket of the delivery's generation as the system's lifecycle says
 * (Jira's done transition with its resolution, ServiceNow state 6 with close code and notes, a work note
 * on a Proactive case), with the close's note. Resolving is idempotent at the remote (a ticket already
 * resolved is `already`), so after an unknown outcome the run simply asks again. Turned off in the
 * settings after the close, it is skipped, visibly.
 */
export const resolveStep: DeliveryStep = {
  what: 'ticket resolve',

  async prepare(_deps, delivery) {
    const { ticket, closure } = delivery;
    if (!ticket || !ticket.live || !closure) {
      throw new TicketError({ code: 'INVALID_REQUEST', retryable: false, message: `the ${delivery.system} ticket this resolve belongs to is gone` });
    }
    const { live: _live, open: _open, ...ref } = ticket;
    const note = resolveNote(closure);
    return { level: null, run: (ctx) => resolve(ctx, ref, note, closure) };
  },
};

async function resolve(ctx: RunContext, ref: TicketReference, note: string, closure: CarriedClosure): Promise<PushOutcome> {
  const { deps, delivery, adapter, lease, log } = ctx;
  if (!adapter.lifecycle.resolve) return skipOff(ctx, 'RESOLVE_OFF', `resolving is off in the ${delivery.system} lifecycle settings; ticket ${ref.externalId} not resolved`);
  // Jira's resolve is two calls (its transitions, then the transition with its comment).
  if (!(await deps.deliveries.leases.ensureFor(lease, deps.callLimitMs * CALLS_PER_LEASE))) {
    log.warn('the lease of this delivery expired before the resolve; leaving it to the run that holds it now');
    return LEASE_LOST;
  }
  const done = await adapter.resolve(ref, note);
  const d = { id: delivery.id, incidentId: delivery.incidentId, system: delivery.system, attempt: lease.attempt, generation: delivery.generation };
  await deps.deliveries.recordResolve(d, {
    message: `${delivery.system} ticket ${ref.externalId} ${done === 'already' ? 'was already resolved' : 'resolved'} (incident ${closure.analystStatus})`,
    details: { system: delivery.system, externalId: ref.externalId, analystStatus: closure.analystStatus, ...(done === 'already' ? { already: true } : {}) },
  });
  await noteHealth(() => deps.health.succeeded(delivery.system), log);
  log.info({ externalId: ref.externalId, already: done === 'already' }, done === 'already' ? 'ticket was already resolved' : 'ticket resolved');
  return { kind: 'resolved', ref };
}
