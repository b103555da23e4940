import type { TargetSystem } from '@rhx/domain';

/** Why a call could not go out within the caller's limit. */
export type HoldReason = 'paused' | 'rate-capped';

/**
 * `beforeCall` gave up: the system is held longer than the caller's `maxWaitMs`. Nothing was
 * reserved and nothing may be sent; the caller should try again `retryAfterMs` from now (the pause
 * left, or the queue under the cap, as Redis reported it). A pause may be extended meanwhile, so a
 * retry can be held again.
 */
export class ThrottleWaitTooLongError extends Error {
  constructor(
    readonly system: TargetSystem,
    readonly reason: HoldReason,
    readonly retryAfterMs: number,
    readonly maxWaitMs: number,
  ) {
    super(`calls to ${system} are ${reason} for another ${retryAfterMs} ms, longer than the ${maxWaitMs} ms this caller waits`);
    this.name = 'ThrottleWaitTooLongError';
  }
}
