import { TicketError, systemOf, type FieldUpdate, type TicketReference } from '@rhx/adapters';
import { riskChangeSchema, type Incident, type RiskLevel } from '@rhx/domain';
import { storedIncident } from './stored-incident.js';
import { renderRiskUpdateNote } from '@rhx/tickets';
import { LEASE_LOST, noteHealth, skipOff, type DeliveryStep, type PushOutcome, type RunContext } from './delivery-run.js';
import { CALLS_PER_LEASE } from './push-deps.js';

/** What an update sends: the note (carrying its marker), the ticket, and the level whose priority it sets. */
interface PreparedUpdate {
  ref: TicketReference;
  /** The incident as it is now: the `onUpdate` field rules render from it. */
  incident: Incident;
  /** False when the ticket is resolved: the update reopens it first (the lifecycle's `reopen`). */
  ticketOpen: boolean;
  note: string;
  marker: string;
  level: RiskLevel;
  scores: { from?: number; to: number };
}

/**
 * The marker an update's note carries, so a later attempt can find out whether it reached the ticket:
 * one per delivery, the same on every attempt of it.
 */
export function updateMarker(deliveryId: string): string {
  return `rhythmx-update-${deliveryId}`;
}

/**
 * The update step: adds one risk change's update (a work note, or a comment in Jira) to the ticket of
 * its generation and sets the priority of the change's level. Updates of one ticket run one at a time
 * (the lease) in the order of their risk changes (an older one not yet sent is superseded by a newer
 * one, which carries the later level). After an attempt whose outcome is unknown it looks for the note's
 * marker where the system can say (Jira's comments, ServiceNow's journal): found, the update is recorded
 * as made; absent, or where nothing can be read (the Proactive Case API, no read access), it is sent
 * again with the same marker: a repeated note is better than a lost escalation, and setting the same
 * priority twice is harmless.
 */
export const updateStep: DeliveryStep = {
  what: 'ticket update',

  async prepare(deps, delivery) {
    const { ticket, change } = delivery;
    if (!ticket || !ticket.live || !change) {
      const gone = ticket && ticket.live ? 'risk change' : `${delivery.system} ticket`;
      throw new TicketError({ code: 'INVALID_REQUEST', retryable: false, message: `the ${gone} this update belongs to is gone` });
    }
    const release = await deps.memory.reserve(delivery.payloadBytes * 4);
    try {
      const incident = storedIncident(delivery.payload ?? (await deps.deliveries.loadPayload(delivery.incidentId)));
      const parsed = riskChangeSchema.parse(change);
      const options = {
        ...(deps.adapters.options.deepLinkBaseUrl ? { deepLinkBaseUrl: deps.adapters.options.deepLinkBaseUrl } : {}),
        ...(delivery.previousLevel ? { previousLevel: delivery.previousLevel } : {}),
        priorityText: systemOf(delivery.system, deps.adapters.options.ticketIntegration).priorityText,
      };
      const marker = updateMarker(delivery.id);
      const { live: _live, open: ticketOpen, ...ref } = ticket;
      const u: PreparedUpdate = {
        ref,
        incident,
        ticketOpen,
        marker,
        note: `${renderRiskUpdateNote(parsed, incident, options)}\n\nUpdate reference: ${marker}`,
        level: change.level,
        scores: { to: change.score, ...(change.previousScore !== undefined ? { from: change.previousScore } : {}) },
      };
      return { level: u.level, run: (ctx) => update(ctx, u) };
    } finally {
      release();
    }
  },

};

async function update(ctx: RunContext, u: PreparedUpdate): Promise<PushOutcome> {
  const { deps, adapter, lease, log } = ctx;
  if (ctx.outcomeUnknown) {
    const seen = await adapter.findUpdate(u.ref, u.marker);
    log.info({ externalId: u.ref.externalId, marker: u.marker, seen }, 'checked whether an earlier attempt of this update reached the ticket');
    // On a resolved ticket the note comes after the reopen: found, the earlier attempt reopened it too.
    if (seen === 'found') return recordUpdate(ctx, u, true, !u.ticketOpen);
  }
  if (!u.ticketOpen) {
    const reopened = await reopen(ctx, u);
    if (reopened !== 'reopened') return reopened;
  }
  // The `onUpdate` field rules first (up to three calls: edit metadata, current values, the edit), so a
  // note found after an unknown outcome means they were set too.
  let fields: FieldUpdate | undefined;
  if (adapter.updateFields) {
    if (!(await deps.deliveries.leases.ensureFor(lease, deps.callLimitMs * 3))) return LEASE_LOST;
    fields = await adapter.updateFields(u.ref, u.incident);
    if (fields.set.length || fields.skipped.length) log.info({ externalId: u.ref.externalId, fieldsSet: fields.set, fieldsSkipped: fields.skipped }, 'field rules set again on the ticket');
  }
  // Jira's update is two calls (priority, then comment): the lease must cover both, not just one.
  if (!(await deps.deliveries.leases.ensureFor(lease, deps.callLimitMs * CALLS_PER_LEASE))) {
    log.warn('the lease of this delivery expired before the update; leaving it to the run that holds it now');
    return LEASE_LOST;
  }
  await adapter.addUpdate(u.ref, u.note, u.level);
  return recordUpdate(ctx, u, false, !u.ticketOpen, fields);
}

/**
 * A rise on a resolved ticket (the gate let it through whatever the window): reopen it with a line
 * carrying the change, before the update's note and priority. Reopening off: skipped, visibly. Closed for
 * good (read-only, ServiceNow 7): skipped, and per `onClosed` a follow-up ticket of the next generation.
 */
async function reopen(ctx: RunContext, u: PreparedUpdate): Promise<'reopened' | PushOutcome> {
  const { deps, adapter, delivery, lease, log } = ctx;
  const system = delivery.system;
  if (!adapter.lifecycle.reopen) {
    return skipOff(ctx, 'REOPEN_OFF', `${system} ticket ${u.ref.externalId} is resolved and reopening is off in the ${system} lifecycle settings; update not sent`);
  }
  if (!(await deps.deliveries.leases.ensureFor(lease, deps.callLimitMs * CALLS_PER_LEASE))) return LEASE_LOST;
  const moved = u.scores.from === undefined ? `${u.scores.to}` : `${u.scores.from} → ${u.scores.to}`;
  const result = await adapter.reopen(u.ref, `Reopened by RhythmX: the incident's risk rose to ${u.level} (${moved}).`);
  if (result !== 'read-only') {
    log.info({ externalId: u.ref.externalId, result }, result === 'reopened' ? 'ticket reopened' : 'ticket was open already');
    // The note and priority follow, under a lease long enough for them.
    return (await deps.deliveries.leases.ensureFor(lease, deps.callLimitMs * CALLS_PER_LEASE)) ? 'reopened' : LEASE_LOST;
  }
  const followUp = adapter.lifecycle.onClosed === 'follow-up';
  const message = `${system} ticket ${u.ref.externalId} is closed for good (read-only) and cannot be reopened; ${followUp ? 'a follow-up ticket is made' : 'the rise is only recorded (lifecycle onClosed: record)'}`;
  const closed = await deps.deliveries.recordClosedTicket({ id: delivery.id, incidentId: delivery.incidentId, system, kind: 'update', lease, generation: delivery.generation }, followUp, message);
  if (!closed.written) return LEASE_LOST;
  log.warn({ externalId: u.ref.externalId, followUpDeliveryId: closed.followUpId }, message);
  return { kind: 'skip', reason: 'closed', ...(closed.followUpId ? { followUp: { deliveryId: closed.followUpId, incidentId: delivery.incidentId, system } } : {}) };
}

async function recordUpdate(ctx: RunContext, u: PreparedUpdate, found: boolean, reopened: boolean, fields?: FieldUpdate) {
  const { deps, delivery, lease, log } = ctx;
  const moved = u.scores.from === undefined ? `${u.scores.to}` : `${u.scores.from} → ${u.scores.to}`;
  const d = { id: delivery.id, incidentId: delivery.incidentId, system: delivery.system, attempt: lease.attempt, generation: delivery.generation };
  await deps.deliveries.recordUpdate(d, u.level, {
    message: `${delivery.system} ticket ${u.ref.externalId} ${reopened ? 'reopened and ' : ''}updated: risk ${moved} (${u.level})${found ? '; found on the ticket from an earlier attempt' : ''}${fieldsText(fields)}`,
    details: {
      system: delivery.system, externalId: u.ref.externalId, level: u.level, ...(reopened ? { reopened: true } : {}), ...(found ? { foundFromEarlierAttempt: true } : {}),
      ...(fields?.set.length ? { fieldsSet: fields.set } : {}), ...(fields?.skipped.length ? { fieldsSkipped: fields.skipped } : {}),
    },
  }, reopened);
  await noteHealth(() => deps.health.succeeded(delivery.system), log);
  log.info({ externalId: u.ref.externalId, level: u.level, found }, found ? 'ticket update found from an earlier attempt' : 'ticket updated');
  return { kind: 'updated' as const, ref: u.ref, ...(reopened ? { reopened } : {}) };
}

/** The field rules an update set again, and those it left out, for the history row. */
function fieldsText(fields: FieldUpdate | undefined): string {
  if (!fields) return '';
  const set = fields.set.length ? `; fields set again: ${fields.set.join(', ')}` : '';
  const skipped = fields.skipped.length ? `; field rules left out: ${fields.skipped.map((s) => `${s.field} (${s.reason})`).join(', ')}` : '';
  return set + skipped;
}
