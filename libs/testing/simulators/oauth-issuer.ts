import { randomBytes } from 'node:crypto';
import type { SimulatorReply, SimulatorRequest } from './http-simulator.server.js';

/** An OAuth 2.0 client registered with a simulated remote. */
export interface SimulatedOAuthClient {
  clientId: string;
  clientSecret: string;
  /** Grants the remote accepts (default client credentials only). */
  grants?: readonly ('client_credentials' | 'password')[];
  /** `expires_in` of the tokens it issues (default 3600). */
  tokenTtlSeconds?: number;
}

/**
 * A token endpoint as RFC 6749 §5 describes it (and Atlassian's and ServiceNow's follow): access tokens
 * for a registered client, refusals in `{error, error_description}`, tokens that expire.
 */
export class TokenIssuer {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly client: SimulatedOAuthClient,
    /** The password grant's user, when the remote has one. */
    private readonly user?: { username: string; password: string },
    private readonly now: () => number = Date.now,
  ) {}

  /** `POST` to the token endpoint; JSON (Atlassian) or an HTML form (ServiceNow). */
  issue(req: SimulatorRequest): SimulatorReply {
    if (req.method !== 'POST') return { status: 405, json: { error: 'invalid_request', error_description: 'POST only' } };
    const form = bodyOf(req);
    if (!form) return refusal(400, 'invalid_request', 'the body is neither JSON nor a form');
    if (form.client_id !== this.client.clientId || form.client_secret !== this.client.clientSecret) {
      return refusal(401, 'invalid_client', 'Unknown client or wrong client secret');
    }
    const grant = form.grant_type;
    if (grant !== 'client_credentials' && grant !== 'password') return refusal(400, 'unsupported_grant_type', `grant_type ${String(grant)} is not supported`);
    if (!(this.client.grants ?? ['client_credentials']).includes(grant)) {
      return refusal(401, 'unauthorized_client', `${grant === 'password' ? 'password' : 'client credentials'} grant is not enabled on this instance`);
    }
    if (grant === 'password' && (form.username !== this.user?.username || form.password !== this.user?.password)) {
      return refusal(401, 'access_denied', 'wrong user name or password');
    }
    const token = randomBytes(24).toString('base64url');
    const ttl = this.client.tokenTtlSeconds ?? 3600;
    this.tokens.set(token, this.now() + ttl * 1000);
    return { status: 200, json: { access_token: token, expires_in: ttl, token_type: 'Bearer', scope: 'useraccount' } };
  }

  /** Whether `authorization` carries a token this issuer gave and that has not expired. */
  accepts(authorization: string | undefined): boolean {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const until = token === undefined ? undefined : this.tokens.get(token);
    return until !== undefined && until > this.now();
  }

  /** Every token issued so far expires now (the next call with one gets a `401`). */
  expireAll(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  /** How many tokens were issued. */
  issued(): number {
    return this.tokens.size;
  }

  /** The tokens issued so far (a test looks for them where they must never be). */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }
}

function bodyOf(req: SimulatorRequest): Record<string, unknown> | undefined {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.body));
  try {
    const json = JSON.parse(req.body) as unknown;
    return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function refusal(status: number, error: string, description: string): SimulatorReply {
  return { status, json: { error, error_description: description } };
}
