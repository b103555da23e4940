import { z } from 'zod';
import { TicketError } from '@rhx/adapters';
import { fieldProblems } from '@rhx/domain';
import { SettingsUnreadableError } from '@rhx/settings';

/** A failure as recorded on a delivery and its attempt. */
export interface PushFailure {
  code: string;
  message: string;
  /** UNKNOWN: the request may have reached the remote and made the ticket before the failure was seen. */
  outcome: 'FAILED' | 'UNKNOWN';
}

// The request may have reached the remote and made the ticket before this failure was seen.
const OUTCOME_UNKNOWN = new Set(['TIMEOUT', 'NETWORK', 'REMOTE_UNAVAILABLE', 'UNEXPECTED_RESPONSE']);

/**
 * The failure to record for an error of a push, or undefined for an error that is not about this
 * delivery (the database or Redis is away): that one is thrown so the job fails and is run again.
 */
export function failureOf(err: unknown): PushFailure | undefined {
  if (err instanceof TicketError) {
    return { code: err.code, message: err.message, outcome: OUTCOME_UNKNOWN.has(err.code) ? 'UNKNOWN' : 'FAILED' };
  }
  if (err instanceof SettingsUnreadableError) return { code: 'SETTINGS_UNREADABLE', message: err.message, outcome: 'FAILED' };
  if (err instanceof z.ZodError) {
    const problems = fieldProblems(err).map((p) => `${p.path}: ${p.message}`).join('; ');
    return { code: 'INVALID_INCIDENT', message: `the stored incident does not validate: ${problems}`, outcome: 'FAILED' };
  }
  return undefined;
}
