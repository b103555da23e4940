import { ThrottledCallError, type CreateRequest, type TicketAdapter, type TicketReference } from '@rhx/adapters';
import { GATE_LABEL, cadenceLogLine, type RiskChanges } from '@rhx/risk';
import { incidentSchema, riskLevelOf, type RiskLevel, type TargetSystem } from '@rhx/domain';
import { deliveryLogger, type Logger } from '@rhx/logger';
import type { JobPayload, MemoryBudget, RetrySettings } from '@rhx/queue';
import type { IntegrationHealth } from '@rhx/settings';
import type { AdapterProvider } from './adapter-provider.js';
import type { Lease } from './deliveries/delivery-lease.js';
import type { DeliveryRepository } from './deliveries/delivery.repository.js';
import type { DeliveryForPush, FailedDelivery } from './deliveries/push.statements.js';
import { failureOf, nextAttempt, type PushFailure } from './push-failure.js';
import { pushUpdate } from './ticket-update.js';

export interface PushDeps {
  deliveries: DeliveryRepository;
  adapters: AdapterProvider;
  /** Bounds the stored incidents read and rendered at once, by bytes. */
  memory: MemoryBudget;
  /** Longest one remote call may take: its wait for the system's throttle plus `HTTP_TIMEOUT_MS`. */
  callLimitMs: number;
  retry: RetrySettings;
  /** Credential refusals make the integration unhealthy until a call succeeds. */
  health: Pick<IntegrationHealth, 'failed' | 'succeeded'>;
  /** The cadence gate, for a risk change that arrived while the ticket was being made. */
  riskChanges: Pick<RiskChanges, 'afterCreate'>;
  logger: Logger;
}

const FINISHED = new Set(['SUCCEEDED', 'SKIPPED', 'FAILED']);

/**
 * What one push of a delivery came to, already recorded in the database. The job handlers only turn it
 * into BullMQ's terms (return, retry after the wait, fail for good, run after the lease).
 */
export type PushOutcome =
  /** The ticket was made (`ticket`), or found from an earlier attempt whose answer was lost (`adopted`). */
  | { kind: 'ticket' | 'adopted'; ref: TicketReference; followUp?: FollowUp }
  /** A risk change's update was added to the existing ticket. */
  | { kind: 'updated'; ref: TicketReference }
  /** Recorded as RETRY_WAIT: the next attempt is due in `retryAfterMs` (the one failure policy's wait). */
  | { kind: 'retryable'; retryAfterMs: number; code: string; message: string }
  /** Recorded as FAILED: a permanent failure, or the last attempt of the round. */
  | { kind: 'permanent'; code: string; message: string }
  /** Another run of this delivery is in flight for `remainingMs` more: run again after it, never alongside. */
  | { kind: 'busy'; remainingMs: number }
  /**
   * Nothing to do now: `done` (succeeded, failed, skipped, already has a ticket, or gone), `not-ready`
   * (recorded as SKIPPED: the target is not configured or disabled), `lease-lost` (another run owns it).
   */
  | { kind: 'skip'; reason: 'done' | 'not-ready' | 'lease-lost' };

/**
 * Makes the ticket of one delivery, exactly once. It builds the create request first (no lease
 * needed: reading and rendering call nothing that creates), then takes the delivery's lease, which
 * starts the attempt and keeps every other run of the same delivery from calling the remote while this
 * one may. When an earlier attempt's outcome is unknown (it ended without an answer, or its run's
 * lease expired) it asks the remote for the ticket and adopts it instead of creating a second one.
 * Reference, success and history row are written in one statement. A failure is recorded on the
 * delivery with the remote's own message and the one failure policy's decision ({@link nextAttempt}:
 * retry after a wait, or FAILED), in the same statement that ends the attempt, and returned, not
 * thrown. An error that is not about this delivery (the database or Redis away) is thrown: the job
 * fails and runs again, and its attempt stays STARTED, so the next run looks for the ticket first.
 */
export async function pushDelivery(deps: PushDeps, payload: JobPayload<'ticket-push'>): Promise<PushOutcome> {
  const delivery = await deps.deliveries.load(payload.deliveryId);
  const base = { incidentId: payload.incidentId, system: payload.system, deliveryId: payload.deliveryId };
  const creates = delivery?.riskChangeId === '0';
  if (!delivery || FINISHED.has(delivery.status) || (creates && delivery.hasTicket)) {
    deps.logger.debug({ ...base, status: delivery?.status ?? 'gone' }, 'delivery has nothing left to do');
    return DONE;
  }
  if (!creates) return pushUpdate(deps, delivery);
  const d = { id: delivery.id, incidentId: delivery.incidentId, system: payload.system };
  const ready = await prepareThenLease<PreparedCreate>(deps, delivery, d, base, () => prepare(deps, delivery), 'ticket push failed before the remote call');
  if (!('lease' in ready)) return ready;
  return callRemote(deps, ready.log, { ...d, lease: ready.lease }, ready.prepared, ready.outcomeUnknown);
}

/** What a create sends, and the level it carries. */
interface PreparedCreate {
  adapter: TicketAdapter;
  request: CreateRequest;
  level: RiskLevel;
}

/**
 * The steps every push of a delivery (create or update) takes before the remote call: build what it
 * sends (a failure here is recorded and settled by the one failure policy, and a throttled look-up spends
 * no attempt), then take the delivery's lease (another run in flight means waiting for it).
 */
export async function prepareThenLease<P>(
  deps: PushDeps,
  delivery: DeliveryForPush,
  d: FailedDelivery,
  base: { incidentId: string; system: TargetSystem; deliveryId: string } & Record<string, unknown>,
  build: () => Promise<P | { skipped: true }>,
  what: string,
): Promise<PushOutcome | { prepared: P; lease: Lease; outcomeUnknown: boolean; log: Logger }> {
  let prepared: P | { skipped: true };
  try {
    prepared = await build();
  } catch (err) {
    // Before any remote call: settings that cannot be used, an incident that no longer validates.
    if (err instanceof ThrottledCallError) return deferUnsent(deps, d, undefined, err);
    const failure = failureOf(err);
    if (!failure) throw err;
    return settleFailure(deps, deps.logger.child(base), d, failure, delivery.attempts - delivery.roundStart + 1, what);
  }
  if (typeof prepared === 'object' && prepared !== null && 'skipped' in prepared) return { kind: 'skip', reason: 'not-ready' };
  const leased = await deps.deliveries.leases.acquire(delivery.id);
  if (leased.kind === 'busy') {
    deps.logger.info({ ...base, remainingMs: leased.remainingMs }, 'another run of this delivery is in flight; waiting for it');
    return { kind: 'busy', remainingMs: leased.remainingMs };
  }
  if (leased.kind === 'finished') return DONE;
  const log = deliveryLogger(deps.logger, { ...base, attempt: leased.lease.attempt });
  return { prepared: prepared as P, lease: leased.lease, outcomeUnknown: leased.outcomeUnknown, log };
}

/** An update delivery the gate made right after the create (see {@link RiskChanges.afterCreate}): queue it. */
export interface FollowUp {
  deliveryId: string;
  incidentId: string;
  system: TargetSystem;
}

export const DONE = { kind: 'skip', reason: 'done' } as const;
export const LEASE_LOST = { kind: 'skip', reason: 'lease-lost' } as const;

/**
 * The one failure policy, applied once for every failure of a push (before the remote call or during
 * it): {@link nextAttempt} decides whether attempt `roundAttempt` is followed by another and after what
 * wait, and the decision is recorded with the failure in one statement.
 */
export async function settleFailure(
  deps: PushDeps,
  log: Logger,
  d: FailedDelivery,
  failure: PushFailure,
  roundAttempt: number,
  what: string,
): Promise<PushOutcome> {
  const next = nextAttempt(failure, roundAttempt, deps.retry);
  if (!(await deps.deliveries.recordFailure(d, failure, next))) {
    log.warn('failure not recorded: another run holds this delivery now');
    return LEASE_LOST;
  }
  log.warn({ code: failure.code, retryable: failure.retryable, httpStatus: failure.httpStatus, err: failure.message, ...(next ?? {}) }, what);
  const { code, message } = failure;
  return next ? { kind: 'retryable', retryAfterMs: next.waitMs, code, message } : { kind: 'permanent', code, message };
}

/** Readiness of the target, then the create request from the stored incident, within the memory budget. */
async function prepare(deps: PushDeps, delivery: DeliveryForPush): Promise<PreparedCreate | { skipped: true }> {
  const target = await deps.adapters.forSystem(delivery.system);
  if (!target.ready) {
    await deps.deliveries.recordSkip(delivery, target.reason, `${target.message}; ticket not created`);
    deps.logger.warn({ incidentId: delivery.incidentId, system: delivery.system, deliveryId: delivery.id, reason: target.reason }, 'delivery skipped: target system not ready');
    return { skipped: true } as const;
  }
  // JSON text, the parsed object, the validated copy and the rendering: a few times the stored size.
  const release = await deps.memory.reserve(delivery.payloadBytes * 4);
  try {
    const stored = delivery.payload ?? (await deps.deliveries.loadPayload(delivery.incidentId));
    const incident = incidentSchema.parse(stored);
    return { adapter: target.adapter, request: await target.adapter.prepareCreate(incident), level: riskLevelOf(incident) };
  } finally {
    release();
  }
}

async function callRemote(
  deps: PushDeps,
  log: Logger,
  d: { id: string; incidentId: string; system: DeliveryForPush['system']; lease: Lease },
  { adapter, request, level }: PreparedCreate,
  outcomeUnknown: boolean,
): Promise<PushOutcome> {
  const { leases } = deps.deliveries;
  const record = { id: d.id, incidentId: d.incidentId, attempt: d.lease.attempt, level };
  try {
    if (outcomeUnknown) {
      const existing = await adapter.findExisting(request.incidentId);
      if (existing) {
        await recordTicket(deps, log, record, existing, 'TICKET_ADOPTED');
        logFirstPush(log, d.system, d.incidentId);
        await noteHealth(() => deps.health.succeeded(d.system), log);
        log.info({ externalId: existing.externalId }, 'ticket adopted from an earlier attempt');
        return { kind: 'adopted', ref: existing, ...(await gateAfterCreate(deps, log, d)) };
      }
    }
    if (!(await leases.ensureFor(d.lease, deps.callLimitMs))) {
      log.warn('the lease of this delivery expired before the create; leaving it to the run that holds it now');
      return LEASE_LOST;
    }
    const ref = await adapter.createTicket(request);
    await recordTicket(deps, log, record, ref, 'TICKET_CREATED', request.priority);
    logFirstPush(log, d.system, d.incidentId);
    await noteHealth(() => deps.health.succeeded(d.system), log);
    log.info({ externalId: ref.externalId, url: ref.url }, 'ticket created');
    return { kind: 'ticket', ref, ...(await gateAfterCreate(deps, log, d)) };
  } catch (err) {
    if (err instanceof ThrottledCallError) return deferUnsent(deps, d, d.lease, err);
    const failure = failureOf(err);
    // Not about this delivery (the database or Redis away, say after the ticket was made): the job fails
    // and runs again; its attempt stays STARTED under the lease, so the next run looks for the ticket first.
    if (!failure) throw err;
    await noteHealth(() => deps.health.failed(d.system, failure.code, failure.message), log);
    return settleFailure(deps, log, d, failure, d.lease.roundAttempt, 'ticket push failed');
  }
}

async function recordTicket(
  deps: PushDeps,
  log: Logger,
  { level, ...record }: { id: string; incidentId: string; attempt: number; level: RiskLevel },
  ref: TicketReference,
  action: 'TICKET_CREATED' | 'TICKET_ADOPTED',
  priority?: string,
): Promise<void> {
  const verb = action === 'TICKET_CREATED' ? 'created' : 'adopted';
  const history = {
    action,
    message: `${ref.system} ticket ${ref.externalId} ${verb}`,
    details: { system: ref.system, externalId: ref.externalId, url: ref.url, level, ...(priority ? { priority } : {}) },
  };
  const kept = await deps.deliveries.recordTicket(record, ref, history, level);
  // What the lease exists to prevent; if it happens anyway (a remote that took longer than the lease), say so loudly.
  if (kept.externalId !== ref.externalId) {
    log.error({ externalId: ref.externalId, keptExternalId: kept.externalId }, 'a second ticket exists for this incident; the first reference is kept');
  }
}

/**
 * A request the system's throttle held back was never sent: nothing is known to have failed, so no
 * attempt is spent. The delivery waits (RETRY_WAIT) for as long as the throttle said.
 */
export async function deferUnsent(deps: PushDeps, d: FailedDelivery, lease: Lease | undefined, err: ThrottledCallError): Promise<PushOutcome> {
  if (!(await deps.deliveries.deferUnsent(d, lease, err.retryAfterMs))) return LEASE_LOST;
  deps.logger.info({ incidentId: d.incidentId, system: d.system, deliveryId: d.id, reason: err.reason, waitMs: err.retryAfterMs }, 'ticket push held back by the system throttle; not sent');
  return { kind: 'retryable', retryAfterMs: err.retryAfterMs, code: err.code, message: err.message };
}

// Health is what operators read, not part of the delivery: a failure to note it must not fail the push.
export async function noteHealth(note: () => Promise<void>, log: Logger): Promise<void> {
  await note().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'integration health not updated'));
}

/**
 * A risk change that committed while this ticket was being made found no ticket to update: the gate
 * decides for it now. A failure here leaves the ticket as made (the next risk change decides again).
 */
async function gateAfterCreate(deps: PushDeps, log: Logger, d: { incidentId: string; system: TargetSystem }): Promise<{ followUp?: FollowUp }> {
  try {
    const late = await deps.riskChanges.afterCreate(d.incidentId, d.system);
    if (!late) return {};
    const line = cadenceLogLine(GATE_LABEL[d.system], d.incidentId, late.decision);
    if (line) log.info({ level: late.level, changedWhileCreating: true }, line);
    return late.deliveryId ? { followUp: { deliveryId: late.deliveryId, incidentId: d.incidentId, system: d.system } } : {};
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not check for a risk change made while the ticket was created');
    return {};
  }
}

/** The create is the ticket's first push through the cadence gate (CONTRACT §6 names the line). */
function logFirstPush(log: Logger, system: TargetSystem, incidentId: string): void {
  log.info(cadenceLogLine(GATE_LABEL[system], incidentId, { push: true, reason: 'first-push' })!);
}
