import { ThrottledCallError, TicketError, type TicketAdapter, type TicketReference } from '@rhx/adapters';
import { NOT_DONE, type DeliveryForRun, type Lease, type LeaseResult, type SettledDelivery } from '@rhx/deliveries';
import { FINISHED_STATUSES, type DeliveryKind, type RiskLevel, type TargetSystem } from '@rhx/domain';
import { deliveryLogger, type Logger } from '@rhx/logger';
import type { JobPayload } from '@rhx/queue';
import { failureOf, nextAttempt, unexpectedFailureOf, type PushFailure } from './push-failure.js';
import type { PushDeps } from './push-deps.js';

/**
 * What one run of a delivery came to, already recorded in the database. The job handlers only turn it
 * into BullMQ's terms (return, retry after the wait, fail for good, run after the lease or the wait).
 */
export type PushOutcome =
  /** The ticket was made (`ticket`), or found from an earlier attempt whose answer was lost (`adopted`). */
  | { kind: 'ticket' | 'adopted'; ref: TicketReference; followUp?: FollowUp }
  /** A risk change's update reached the ticket (sent now, or found there from an earlier attempt); `reopened` it first. */
  | { kind: 'updated'; ref: TicketReference; reopened?: boolean }
  /** The ticket is resolved (now, or it already was). */
  | { kind: 'resolved'; ref: TicketReference }
  /** Recorded as RETRY_WAIT: the next attempt is due in `retryAfterMs` (the one failure policy's wait). */
  | { kind: 'retryable'; retryAfterMs: number; code: string; message: string }
  /** Recorded as FAILED: a permanent failure, or the last attempt of the round. */
  | { kind: 'permanent'; code: string; message: string }
  /** Another run (of this delivery, or another update of the ticket) is in flight for `remainingMs` more: run after it. */
  | { kind: 'busy'; remainingMs: number }
  /** Not due for `remainingMs` (a retry's wait, or an unknown outcome settling): run then, not now. */
  | { kind: 'waiting'; remainingMs: number }
  /**
   * Nothing to do now: `done` (succeeded, failed, skipped, already has a ticket, or gone), `not-ready`
   * (recorded as SKIPPED: the target is not configured or disabled), `superseded` (recorded as SKIPPED:
   * a newer update of the ticket carries the later level), `lease-lost` (another run owns it), `off`
   * (recorded as SKIPPED: the system's lifecycle no longer resolves or reopens), `closed` (recorded as
   * SKIPPED: the ticket is closed for good; `followUp` is the next generation's create, when one is made).
   */
  | { kind: 'skip'; reason: 'done' | 'not-ready' | 'superseded' | 'lease-lost' | 'off' | 'closed'; followUp?: FollowUp };

/** A delivery a run opened for later (an update the gate made right after the create, a follow-up ticket): queue it. */
export interface FollowUp {
  deliveryId: string;
  incidentId: string;
  system: TargetSystem;
}

export const DONE = { kind: 'skip', reason: 'done' } as const;
export const LEASE_LOST = { kind: 'skip', reason: 'lease-lost' } as const;

/** One run of a delivery under its lease: what a step needs. */
export interface RunContext {
  deps: PushDeps;
  delivery: DeliveryForRun;
  adapter: TicketAdapter;
  lease: Lease;
  /** An earlier attempt may have done the work: check before doing it again. */
  outcomeUnknown: boolean;
  unknownLevel: RiskLevel | null;
  log: Logger;
}

/** A step's request, built: the level it carries and how it runs under the lease. */
export interface PreparedStep {
  /** The level the attempt carries (a resolve carries none). */
  level: RiskLevel | null;
  /** Calls the remote and records its success itself; throws what the remote answered. */
  run(ctx: RunContext): Promise<PushOutcome>;
}

/**
 * A kind of delivery: how its request is built, before the lease (reading and rendering call nothing
 * that changes the remote; typed failures are thrown), and then run under it.
 */
export interface DeliveryStep {
  /** For log lines and history: `ticket push`, `ticket update`, `ticket resolve`. */
  what: string;
  prepare(deps: PushDeps, delivery: DeliveryForRun, adapter: TicketAdapter): Promise<PreparedStep>;
}

/**
 * The one run skeleton of every delivery, whatever its kind: read it (one statement), check the target
 * is ready (else `skip`), build what the step sends, take the lease (one statement: it starts the
 * attempt, and refuses while another run holds it, while a retry is not due, or while an unknown outcome
 * settles), run the step (which records its success in one statement), and record any failure with the
 * one failure policy's decision. An error that is not about this delivery (the database or Redis away) is
 * thrown: the job fails and runs again, and its attempt stays STARTED, so the next run checks first.
 */
export async function runDelivery(
  deps: PushDeps,
  payload: JobPayload<'ticket-push'>,
  steps: Partial<Record<DeliveryKind, DeliveryStep>>,
): Promise<PushOutcome> {
  const delivery = await deps.deliveries.load(payload.deliveryId);
  if (!delivery || FINISHED_STATUSES.includes(delivery.status) || (delivery.kind === 'create' && delivery.ticket)) return DONE;
  const d: SettledDelivery = { id: delivery.id, incidentId: delivery.incidentId, system: delivery.system, kind: delivery.kind };
  const base = { incidentId: d.incidentId, system: d.system, deliveryId: d.id, kind: delivery.kind };
  if (delivery.superseded) return supersede(deps, d, deps.logger.child(base));
  const step = steps[delivery.kind];
  let prepared: PreparedStep;
  let adapter: TicketAdapter;
  try {
    // Settings that cannot be read or used fail here, before any remote call, and are recorded as such.
    const target = await deps.adapters.forSystem(delivery.system);
    if (!target.ready) return await skipNotReady(deps, d, target, step?.what ?? 'delivery');
    if (!step) throw unsupported(delivery.kind);
    adapter = target.adapter;
    prepared = await step.prepare(deps, delivery, adapter);
    // The stored incident is read by prepare alone, whose memory reservation ends with it: let it go before
    // the remote call too, so no run holds an incident the budget no longer counts.
    delete delivery.payload;
  } catch (err) {
    if (err instanceof ThrottledCallError) return deferUnsent(deps, d, err);
    const failure = failureOf(err) ?? unexpectedFailureOf(err);
    if (!failure) throw err;
    return settleFailure(deps, deps.logger.child(base), d, failure, delivery.attempts - delivery.roundStart + 1, `${step?.what ?? 'delivery'} failed before the remote call`, delivery.kind);
  }
  const leased = await deps.deliveries.leases.acquire(delivery.id, prepared.level);
  if (leased.kind !== 'acquired') return notLeased(deps, d, leased, base);
  const log = deliveryLogger(deps.logger, { ...base, attempt: leased.lease.attempt });
  const ctx: RunContext = { deps, delivery, adapter, lease: leased.lease, outcomeUnknown: leased.outcomeUnknown, unknownLevel: leased.unknownLevel, log };
  try {
    return await prepared.run(ctx);
  } catch (err) {
    const leased = { ...d, lease: ctx.lease };
    if (err instanceof ThrottledCallError) return deferUnsent(deps, leased, err);
    const failure = failureOf(err);
    // Not about this delivery (the database or Redis away, say after the ticket was made): the job fails
    // and runs again; its attempt stays STARTED under the lease, so the next run checks first.
    if (!failure) throw err;
    await noteHealth(() => deps.health.failed(d.system, failure.code, failure.message), log);
    return settleFailure(deps, log, leased, failure, ctx.lease.roundAttempt, `${step!.what} failed`, delivery.kind, delivery.lastErrorCode);
  }
}

// A kind written by a newer version of the fleet (a rolling upgrade): it fails visibly, and a re-drive
// once every worker runs the newer version sends it.
function unsupported(kind: DeliveryKind): TicketError {
  return new TicketError({ code: 'CONFIGURATION', retryable: false, message: `${kind} deliveries are not run by this version of the worker` });
}

async function notLeased(deps: PushDeps, d: SettledDelivery, leased: Exclude<LeaseResult, { kind: 'acquired' }>, base: Record<string, unknown>): Promise<PushOutcome> {
  if (leased.kind === 'finished') return DONE;
  if (leased.kind === 'superseded') return supersede(deps, d, deps.logger.child(base));
  if (leased.kind === 'busy') {
    deps.logger.info({ ...base, remainingMs: leased.remainingMs }, 'another run is in flight for this delivery or its ticket; waiting for it');
    return leased;
  }
  // Not due (a retry's wait, or an earlier create's unknown outcome settling): it waits as RETRY_WAIT, so
  // the API, a click and the reconciler all see when it runs next.
  await deps.deliveries.defer(d, leased.remainingMs);
  deps.logger.info({ ...base, remainingMs: leased.remainingMs }, 'delivery not due yet; it waits');
  return leased;
}

async function skipNotReady(deps: PushDeps, d: SettledDelivery, target: { reason: string; message: string }, what: string): Promise<PushOutcome> {
  if (await deps.deliveries.recordSkip(d, target.reason, `${target.message}; ${NOT_DONE[d.kind].words}`)) {
    deps.logger.warn({ incidentId: d.incidentId, system: d.system, deliveryId: d.id, reason: target.reason }, `${what} skipped: target system not ready`);
  }
  return { kind: 'skip', reason: 'not-ready' };
}

/** A lifecycle step the system's settings no longer ask for (turned off after the delivery opened): skipped, visibly. */
export async function skipOff(ctx: RunContext, reason: 'RESOLVE_OFF' | 'REOPEN_OFF', message: string): Promise<PushOutcome> {
  const { deps, delivery: d, lease, log } = ctx;
  if (!(await deps.deliveries.recordSkip({ id: d.id, incidentId: d.incidentId, system: d.system, kind: d.kind, lease }, reason, message))) return LEASE_LOST;
  log.info({ reason }, message);
  return { kind: 'skip', reason: 'off' };
}

async function supersede(deps: PushDeps, d: SettledDelivery, log: Logger): Promise<PushOutcome> {
  if (await deps.deliveries.recordSuperseded(d)) log.info('update superseded by a newer risk change of the same ticket; not sent');
  return { kind: 'skip', reason: 'superseded' };
}

/**
 * The one failure policy, applied once for every failure of a run (before the remote call or during
 * it): {@link nextAttempt} decides whether attempt `roundAttempt` is followed by another and after what
 * wait, and the decision is recorded with the failure in one statement.
 */
export async function settleFailure(
  deps: PushDeps, log: Logger, d: SettledDelivery, failure: PushFailure, roundAttempt: number, what: string, kind: DeliveryKind, previousCode?: string | null,
): Promise<PushOutcome> {
  const next = nextAttempt(failure, roundAttempt, { ...deps.retry, settleMs: deps.settleMs }, kind, previousCode);
  if (!(await deps.deliveries.recordFailure(d, failure, next))) {
    log.warn('failure not recorded: another run holds this delivery now');
    return LEASE_LOST;
  }
  log.warn({ code: failure.code, retryable: failure.retryable, outcome: failure.outcome, httpStatus: failure.httpStatus, err: failure.message, ...(next ?? {}) }, what);
  const { code, message } = failure;
  return next ? { kind: 'retryable', retryAfterMs: next.waitMs, code, message } : { kind: 'permanent', code, message };
}

/**
 * A request the system's throttle held back was never sent: nothing is known to have failed, so no
 * attempt is spent. The delivery waits (RETRY_WAIT) for as long as the throttle said.
 */
async function deferUnsent(deps: PushDeps, d: SettledDelivery, err: ThrottledCallError): Promise<PushOutcome> {
  if (!(await deps.deliveries.defer(d, err.retryAfterMs))) return LEASE_LOST;
  deps.logger.info({ incidentId: d.incidentId, system: d.system, deliveryId: d.id, reason: err.reason, waitMs: err.retryAfterMs }, 'delivery held back by the system throttle; not sent');
  return { kind: 'retryable', retryAfterMs: err.retryAfterMs, code: err.code, message: err.message };
}

// Health is what operators read, not part of the delivery: a failure to note it must not fail the run.
export async function noteHealth(note: () => Promise<void>, log: Logger): Promise<void> {
  await note().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'integration health not updated'));
}
