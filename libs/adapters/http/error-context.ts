import { scrubSecrets } from './scrub.js';

/** One HTTP answer as an adapter received it: the status, its headers and the raw body text. */
export interface HttpAnswer {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
  /** The body was over `MAX_ANSWER_BYTES` and was not read: `body` is empty, the status still classifies. */
  bodyTooLarge?: boolean;
}

/** What a pure error classifier needs besides the failure itself. */
export interface ErrorContext {
  /** How messages name the remote: `Jira`, `ServiceNow`. */
  system: string;
  /** Clock for HTTP-date `Retry-After` values. */
  nowMs: number;
  /** Configured credentials (and their encodings) to scrub from every message. */
  secrets: readonly string[];
}

/** Longest remote text kept in a message; a whole HTML page helps nobody. */
export const MAX_REMOTE_TEXT = 1000;

/**
 * Remote text as a message may carry it: scrubbed of `secrets` first, then shortened to
 * {@link MAX_REMOTE_TEXT} characters. In that order, so a secret the cut would halve is already gone
 * (clipped first, its first half would no longer match and would stay).
 */
export function clip(text: string, secrets: readonly string[]): string {
  const scrubbed = scrubSecrets(text, secrets);
  return scrubbed.length <= MAX_REMOTE_TEXT ? scrubbed : `${scrubbed.slice(0, MAX_REMOTE_TEXT)}…`;
}

/** The body as JSON, or `undefined` when it is empty or not JSON. */
export function jsonOrUndefined(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
