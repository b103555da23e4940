/** One HTTP answer as an adapter received it: the status, its headers and the raw body text. */
export interface HttpAnswer {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
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

/** Shortens remote text to {@link MAX_REMOTE_TEXT} characters. */
export function clip(text: string): string {
  return text.length <= MAX_REMOTE_TEXT ? text : `${text.slice(0, MAX_REMOTE_TEXT)}…`;
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
