import type { TargetSystem } from '@rhx/domain';
import { TicketError } from '../ticket-error.js';

/** A throttle's answer for one call: send it now, or do not send it before `retryAfterMs` from now. */
export type CallClearance =
  | { send: true }
  | {
      send: false;
      retryAfterMs: number;
      /** `paused`: a `429`'s `Retry-After` holds the system; `rate-capped`: the steady request cap's queue is longer than the caller may wait. */
      reason: 'paused' | 'rate-capped';
    };

/**
 * Pacing of the calls to each target system, shared by every worker process (`@rhx/throttle` keeps
 * it in Redis, so adapters hold no Redis themselves). Systems are independent: holding one never
 * slows another.
 */
export interface CallThrottle {
  /**
   * Asked before every request. Resolves `{send: true}` once the request may go out now (having
   * waited, at most the throttle's own limit, for a pause to end or a slot under the cap), or
   * `{send: false}` without waiting longer when the system is held beyond that limit. Rejects only
   * when the throttle itself fails (Redis unreachable).
   */
  beforeCall(system: TargetSystem): Promise<CallClearance>;
  /** Holds every process's calls to `system` for at least `ms` from now; never shortens a longer pause. */
  pause(system: TargetSystem, ms: number): Promise<void>;
}

/**
 * A request the throttle held back: it was never sent, so it cannot have made a ticket. A
 * `RATE_LIMITED` {@link TicketError} without `httpStatus`, retryable after `retryAfterMs`; a worker
 * may delay its job by that much without counting an attempt against the remote.
 */
export class ThrottledCallError extends TicketError {
  readonly system: TargetSystem;
  readonly reason: 'paused' | 'rate-capped';
  declare readonly retryAfterMs: number;

  constructor(system: TargetSystem, displayName: string, clearance: Extract<CallClearance, { send: false }>) {
    const seconds = Math.ceil(clearance.retryAfterMs / 1000);
    const why = clearance.reason === 'paused' ? 'paused after a 429 (Retry-After)' : 'queued under the request cap';
    super({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: clearance.retryAfterMs,
      message: `${displayName} calls are ${why} for another ${seconds} s across the fleet; the request was not sent`,
    });
    this.name = 'ThrottledCallError';
    this.system = system;
    this.reason = clearance.reason;
  }
}
