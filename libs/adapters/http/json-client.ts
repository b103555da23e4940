import got, { type Got, type Method, type PlainResponse } from 'got';
import type { z } from 'zod';
import type { TargetSystem } from '@rhx/domain';
import type { TicketError } from '../ticket-error.js';
import { jsonOrUndefined, type ErrorContext, type HttpAnswer } from './error-context.js';
import { answerTooLarge, unexpectedResponse } from './status-errors.js';
import { ACCEPTED_ENCODINGS, AnswerDecodingError, AnswerTooLargeError, MAX_ANSWER_BYTES, readBoundedBody } from './bounded-body.js';
import { transportError } from './transport-errors.js';
import { guardedAgents, type GuardedAgents } from './guarded-agents.js';
import { bypassesProxy, httpsOptionsFor, proxyAgents, type ProxySettings, type TlsMaterial } from './egress.js';
import type { HostPolicy } from './host-policy.js';
import { ThrottledCallError, type CallThrottle } from './call-throttle.js';
import type { RequestAuth } from './oauth.js';

/** How one remote system speaks HTTP: its name, headers, limits and its error envelope. */
export interface JsonClientOptions {
  /** How messages name the remote (`Jira Cloud`, `ServiceNow`). */
  system: string;
  /** Which target system this is (`jira`, `servicenow`): the throttle's key, not a display name. */
  targetSystem: TargetSystem;
  /** Sent on every request (accept; a fixed authorization). */
  headers: Readonly<Record<string, string>>;
  /** An `Authorization` header that changes (an OAuth access token): asked before each request, renewed once on a `401`. */
  auth?: RequestAuth;
  /** Where a request's relative `url` is resolved (Jira's gateway, whose cloud id is found on first use). */
  base?: () => Promise<string>;
  httpTimeoutMs: number;
  /** Credentials to scrub from every error message. */
  secrets: readonly string[];
  /** Pure: a non-2xx answer → the error to throw. */
  classify: (answer: HttpAnswer, ctx: ErrorContext) => TicketError;
  /** Pure: a request without an answer → the error to throw (default {@link transportError}). */
  classifyTransport?: (error: unknown, ctx: ErrorContext) => TicketError;
  /** Hosts the client may connect to; absent means any (a trusted base URL from the environment). */
  hostPolicy?: HostPolicy;
  /**
   * Fleet-wide pacing: asked before every request; a `429` whose `Retry-After` gives a wait pauses
   * the target system for that long. Absent means requests go out unpaced.
   */
  throttle?: CallThrottle;
  /**
   * Verify the server's TLS certificate (default true). Only an adapter whose operator may turn it off
   * for a test instance sets false (`PROACTIVE_SNOW_VERIFY_SSL=false`).
   */
  verifyTls?: boolean;
  /** The egress proxy every request goes through, but for the hosts its `noProxy` names. */
  proxy?: ProxySettings;
  /** The system's private CA (beside Node's roots) and client certificate. */
  tls?: TlsMaterial;
  now?: () => number;
}

/** One request: a URL (absolute, or relative to the client's `base`), optional query and an already serialised body. */
export interface JsonRequest {
  method: Method;
  url: string;
  /** The body's type when it is not JSON (a token endpoint's form). */
  contentType?: string;
  searchParams?: Readonly<Record<string, string>>;
  /** Sent byte for byte; a preview that shows this string shows what was sent. */
  body?: string;
}

/**
 * A got instance that never retries (BullMQ owns every retry), never throws on HTTP status and
 * never follows redirects (a redirect from an API is a login page or a wrong base URL), plus the
 * decoding every adapter needs: 2xx JSON checked against a zod schema, everything else a
 * {@link TicketError}. No answer is read past {@link MAX_ANSWER_BYTES}, received or decompressed: a 2xx
 * one over it is an UNEXPECTED_RESPONSE, an error answer over it is classified by its status, unread. With a throttle, no request goes out before the throttle clears it (one held
 * back fails with {@link ThrottledCallError}, unsent), and a `429` pauses its target system for the
 * `Retry-After` the classified error carries before that error is thrown.
 */
export class JsonClient {
  private readonly http: Got;
  private readonly now: () => number;

  constructor(private readonly options: JsonClientOptions) {
    this.now = options.now ?? Date.now;
    this.http = got.extend({
      retry: { limit: 0 },
      timeout: { request: options.httpTimeoutMs },
      throwHttpErrors: false,
      followRedirect: false,
      decompress: false,
      headers: { 'user-agent': 'rhythmx-ticketing-bridge', ...options.headers },
      // Per request, so a shared agent keeps verifying for every other client.
      https: { ...httpsOptionsFor(options.tls), ...(options.verifyTls === false ? { rejectUnauthorized: false } : {}) },
    });
  }

  /** Through the proxy unless NO_PROXY names the host; directly, host-checked after DNS, otherwise. */
  private agentFor(url: string): GuardedAgents | undefined {
    const { proxy, hostPolicy } = this.options;
    if (proxy) {
      const target = new URL(url);
      const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
      if (!bypassesProxy(target.hostname, port, proxy.noProxy)) return proxyAgents(proxy, hostPolicy);
    }
    return hostPolicy ? guardedAgents(hostPolicy) : undefined;
  }

  /** Sends `request` and returns its 2xx body parsed by `schema`; throws {@link TicketError}. */
  async send<S extends z.ZodType>(request: JsonRequest, schema: S): Promise<z.output<S>> {
    const { auth } = this.options;
    const url = await this.urlOf(request.url);
    const authorization = await auth?.header();
    await this.waitForClearance();
    let answer = await this.exchange(request, url, authorization);
    // An access token may expire between the fetch and the call, or be revoked: one new token, one more try
    // (a 401 means the remote did nothing, so even a create may be sent again).
    if (answer.status === 401 && auth && authorization !== undefined) {
      const renewed = await auth.renew(authorization);
      if (renewed !== undefined) {
        await this.waitForClearance();
        answer = await this.exchange(request, url, renewed);
      }
    }
    const ctx = this.context();
    if (answer.status < 200 || answer.status > 299) throw await this.failure(answer, ctx);
    const json = jsonOrUndefined(answer.body);
    if (json === undefined && answer.body.trim() !== '') {
      throw unexpectedResponse(answer.status, 'the body is not JSON', ctx);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${schemaPath(first.path) || 'body'}: ${first.message}` : 'schema mismatch';
      throw unexpectedResponse(answer.status, `it does not match the documented shape (${where})`, ctx);
    }
    return parsed.data;
  }

  private async waitForClearance(): Promise<void> {
    const { throttle, targetSystem, system } = this.options;
    if (!throttle) return;
    const clearance = await throttle.beforeCall(targetSystem);
    if (!clearance.send) throw new ThrottledCallError(targetSystem, system, clearance);
  }

  // The pause uses the wait the classifier read from Retry-After, so the fleet and the job agree on it.
  private async failure(answer: HttpAnswer, ctx: ErrorContext): Promise<TicketError> {
    const error = this.options.classify(answer, ctx);
    const { throttle, targetSystem } = this.options;
    if (throttle && answer.status === 429 && error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
      await throttle.pause(targetSystem, error.retryAfterMs);
    }
    return error;
  }

  // Streams the answer so its size is counted as it arrives (see readBoundedBody); got's own
  // decompression is off because it would inflate without a limit.
  private async exchange(request: JsonRequest, url: string, authorization: string | undefined): Promise<HttpAnswer> {
    const headers = {
      'accept-encoding': ACCEPTED_ENCODINGS,
      ...(request.body === undefined ? {} : { 'content-type': request.contentType ?? 'application/json' }),
      ...(authorization === undefined ? {} : { authorization }),
    };
    let head: Omit<HttpAnswer, 'body'> | undefined;
    try {
      const agent = this.agentFor(url);
      const stream = this.http.stream(url, {
        method: request.method,
        headers,
        ...(agent ? { agent } : {}),
        ...(request.searchParams ? { searchParams: { ...request.searchParams } } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      const response = await responseOf(stream);
      head = { status: response.statusCode, headers: response.headers };
      const body = await readBoundedBody(stream, response.headers['content-encoding'], MAX_ANSWER_BYTES);
      return { ...head, body: body.toString('utf8') };
    } catch (error) {
      return this.unreadAnswer(error, head);
    }
  }

  // A non-2xx answer too large to read is still classified by its status; every other failure throws.
  private unreadAnswer(error: unknown, head: Omit<HttpAnswer, 'body'> | undefined): HttpAnswer {
    const ctx = this.context();
    if (head && error instanceof AnswerTooLargeError) {
      if (head.status >= 200 && head.status <= 299) throw answerTooLarge(head.status, error.count, ctx);
      return { ...head, body: '', bodyTooLarge: true };
    }
    if (head && error instanceof AnswerDecodingError) throw unexpectedResponse(head.status, 'its compressed body could not be decoded', ctx);
    throw (this.options.classifyTransport ?? transportError)(error, ctx);
  }

  private async urlOf(url: string): Promise<string> {
    if (/^https?:\/\//i.test(url) || !this.options.base) return url;
    return `${await this.options.base()}/${url}`;
  }

  private context(): ErrorContext {
    const { secrets, auth } = this.options;
    return { system: this.options.system, nowMs: this.now(), secrets: auth ? [...secrets, ...auth.secrets()] : secrets };
  }
}

// A path names fields of the documented shape; a key that is not a plain identifier came from the
// body (a record key) and is not repeated, so an answer's content never reaches a message.
function schemaPath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' || /^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(String(key)) ? String(key) : '?')).join('.');
}

// The status line and headers; the body is still unread in the stream.
function responseOf(stream: ReturnType<Got['stream']>): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    stream.once('response', resolve);
    stream.once('error', reject);
  });
}
