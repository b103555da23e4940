import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TicketError } from '../ticket-error.js';
import { clip, jsonOrUndefined, type ErrorContext, type HttpAnswer } from './error-context.js';
import { errorForStatus } from './status-errors.js';
import type { JsonClient } from './json-client.js';

/** How a request is authorised: a fixed header, or an access token fetched and renewed on a `401`. */
export interface RequestAuth {
  /** What OAuth grant or method this is, as Test Connection names it (`OAuth 2.0 client credentials`). */
  readonly method: string;
  /** The `Authorization` header for the next request. */
  header(): Promise<string>;
  /** The remote answered `401` to `refused`: a fresh header to retry with once, or undefined when a retry cannot help. */
  renew(refused: string): Promise<string | undefined>;
  /** What no message may contain, as of now (tokens issued since the client was made). */
  secrets(): readonly string[];
}

/** A fixed `Authorization` header (Basic, or a personal access token): a `401` is final. */
export function staticAuth(method: string, header: string): RequestAuth {
  return { method, header: async () => header, renew: async () => undefined, secrets: () => [] };
}

/**
 * Access tokens shared by the fleet (Redis, sealed with the settings key): one process fetches a token
 * and every other uses it until shortly before it expires. Keys are digests of the grant, so new
 * credentials never find an old token.
 */
export interface TokenCache {
  /** The token under `key` and how much longer it may be used. */
  get(key: string): Promise<{ token: string; usableMs: number } | undefined>;
  set(key: string, token: string, ttlMs: number): Promise<void>;
  /** Forgets `key` if it still holds `token` (a `401` said the token is no longer good). */
  forget(key: string, token: string): Promise<void>;
}

/** One OAuth 2.0 grant: where to ask, how the remote wants the form, and what to send. */
export interface OAuthGrant {
  /** `OAuth 2.0 client credentials`, `OAuth 2.0 password grant`: how messages and Test Connection name it. */
  method: string;
  tokenUrl: string;
  /** Atlassian takes JSON; ServiceNow's `oauth_token.do` an HTML form. */
  encoding: 'json' | 'form';
  /** `grant_type`, `client_id`, `client_secret` and, for the password grant, `username` and `password`. */
  params: Readonly<Record<string, string>>;
  /** The values of `params` no message may contain. */
  secrets: readonly string[];
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  token_type: z.string().optional(),
});

const oauthError = z.object({ error: z.string(), error_description: z.string().optional() });

/** A token is used until this long before the remote said it expires (clock skew, a slow call). */
export const TOKEN_EARLY_MS = 60_000;
/** When the answer gives no `expires_in`: the shortest lifetime either remote documents (ServiceNow: 1799 s). */
const DEFAULT_LIFETIME_S = 1799;

/**
 * Bearer tokens from an OAuth 2.0 token endpoint: fetched once (one in flight per process, then shared
 * through the {@link TokenCache}), reused until {@link TOKEN_EARLY_MS} before `expires_in`, fetched again
 * once when the remote answers `401`. A token never reaches a message: every one issued is scrubbed.
 */
export class OAuthTokens implements RequestAuth {
  readonly method: string;
  private readonly key: string;
  private current?: { token: string; until: number };
  private inFlight?: Promise<string>;
  private readonly issued = new Set<string>();

  constructor(
    private readonly grant: OAuthGrant,
    private readonly endpoint: JsonClient,
    private readonly cache: TokenCache | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.method = grant.method;
    this.key = createHash('sha256').update(JSON.stringify([grant.tokenUrl, grant.params])).digest('hex').slice(0, 32);
  }

  async header(): Promise<string> {
    return `Bearer ${await this.token()}`;
  }

  async renew(refused: string): Promise<string | undefined> {
    const token = refused.replace(/^Bearer /, '');
    if (this.current?.token === token) this.current = undefined;
    await this.cache?.forget(this.key, token);
    return this.header();
  }

  secrets(): readonly string[] {
    return [...this.grant.secrets, ...this.issued];
  }

  /** Fetches a token now, whatever is cached: Test Connection's proof that the endpoint accepts the client. */
  async fetchNew(): Promise<string> {
    // Not the fetch in flight, which may have been answered from the cache: this one asks the endpoint.
    return this.obtain(true);
  }

  private token(): Promise<string> {
    if (this.current && this.current.until > this.now()) return Promise.resolve(this.current.token);
    this.inFlight ??= this.obtain(false).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async obtain(fresh: boolean): Promise<string> {
    if (!fresh) {
      const shared = await this.cache?.get(this.key);
      if (shared && shared.usableMs > 0) {
        this.remember(shared.token, shared.usableMs);
        return shared.token;
      }
    }
    const answer = await this.endpoint.send(this.request(), tokenAnswer);
    const lifetimeMs = (answer.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    const usableMs = Math.max(lifetimeMs - TOKEN_EARLY_MS, lifetimeMs / 2);
    this.remember(answer.access_token, usableMs);
    await this.cache?.set(this.key, answer.access_token, usableMs);
    return answer.access_token;
  }

  private remember(token: string, usableMs: number): void {
    this.issued.add(token);
    this.current = { token, until: this.now() + usableMs };
  }

  private request(): { method: 'POST'; url: string; body: string; contentType: string } {
    const { tokenUrl, encoding, params } = this.grant;
    return encoding === 'json'
      ? { method: 'POST', url: tokenUrl, body: JSON.stringify(params), contentType: 'application/json' }
      : { method: 'POST', url: tokenUrl, body: new URLSearchParams(params).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
}

/**
 * A token endpoint's refusal in its own words (RFC 6749 §5.2: `invalid_client`, `unauthorized_client`…), as
 * an AUTHENTICATION error: retryable like a `401` from the API itself (someone may fix the client in the
 * remote while the attempts last). Throttling and server errors are classified as for any call.
 */
export function tokenEndpointError(method: string): (answer: HttpAnswer, ctx: ErrorContext) => TicketError {
  return (answer, ctx) => {
    const parsed = oauthError.safeParse(jsonOrUndefined(answer.body));
    if (answer.status >= 400 && answer.status < 500 && answer.status !== 429 && answer.status !== 408) {
      const reason = parsed.success ? [parsed.data.error, parsed.data.error_description].filter(Boolean).join(': ') : `HTTP ${answer.status}`;
      return new TicketError({
        code: 'AUTHENTICATION',
        retryable: true,
        httpStatus: answer.status,
        ...(parsed.success ? { remoteCode: parsed.data.error } : {}),
        message: `${ctx.system} token endpoint refused ${method}: ${clip(reason, ctx.secrets)}`,
      });
    }
    return errorForStatus(answer, parsed.success ? parsed.data.error_description ?? parsed.data.error : undefined, { ...ctx, system: `${ctx.system} token endpoint` });
  };
}
