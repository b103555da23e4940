import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UNNAMED_API_TOKEN, type Operator } from '@rhx/domain';
import { ApiError } from './api-error.js';
import { checkCredentials, type OperatorAccount } from './console/operator-auth.js';
import { serverTiming, type SignInThrottle } from './sign-in-throttle.js';

// Comparing digests keeps the comparison constant-time whatever the lengths.
const digest = (s: string) => createHash('sha256').update(s).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

// The auth scheme is case-insensitive and followed by one or more spaces (RFC 7235 §2.1).
const BEARER = /^bearer +(\S+)$/i;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who makes this request (issue 18): the API token's name on `/v1`, the console user in the console. */
    operator?: Operator;
  }
}

/** The bearer tokens `/v1` takes, each with the name its calls are recorded under. */
export function apiTokensOf(config: { API_TOKEN?: string; API_TOKENS?: readonly { name: string; token: string }[] }): { name: string; token: string }[] {
  return [...(config.API_TOKENS ?? []), ...(config.API_TOKEN ? [{ name: UNNAMED_API_TOKEN, token: config.API_TOKEN }] : [])];
}

/**
 * `Authorization: Bearer <token>` on `/v1/*`, any of `tokens`; none configured means development mode
 * (calls are then recorded as `anonymous`). Every token is compared, so the time taken says nothing about
 * which one, or how many, there are.
 */
export function bearerAuth(tokens: readonly { name: string; token: string }[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (tokens.length === 0) {
      request.operator = { kind: 'api', name: 'anonymous' };
      return;
    }
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    let found: string | undefined;
    if (presented !== undefined) for (const t of tokens) if (same(presented, t.token) && found === undefined) found = t.name;
    if (found === undefined) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'UNAUTHORIZED', 'missing or invalid bearer token');
    }
    request.operator = { kind: 'api', name: found };
  };
}

/** Who makes `request` (set by {@link bearerAuth} or the console's guard); a route behind neither has nobody. */
export function operatorOf(request: FastifyRequest): Operator {
  if (!request.operator) throw new ApiError(401, 'UNAUTHORIZED', 'this request is not signed in');
  return request.operator;
}

const BASIC = /^basic +(\S+)$/i;

/** The user name and password of an `Authorization: Basic` header; undefined when there is none. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const encoded = BASIC.exec(header ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  return sep < 0 ? { user: decoded, password: '' } : { user: decoded.slice(0, sep), password: decoded.slice(sep + 1) };
}

/**
 * HTTP Basic in front of Bull Board, which has no authentication of its own. Credentials sent count
 * with the console's sign-ins (the same counters: a guess here slows a guess there); a request without
 * any is asked for them at once, as a browser's first request always is.
 */
export function basicAuth(account: OperatorAccount, signIns: SignInThrottle) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const presented = basicCredentials(request.headers.authorization);
    if (presented) {
      const { result, ...counts } = await signIns.attempt({ user: presented.user, ip: request.ip }, () =>
        checkCredentials([account], presented.user, presented.password),
      );
      void reply.header('server-timing', serverTiming(counts.delayMs));
      if (result !== undefined) return;
      request.log.warn({ ip: request.ip, ...counts }, 'Bull Board sign-in refused');
    }
    void reply.header('www-authenticate', 'Basic realm="Bull Board"');
    throw new ApiError(401, 'UNAUTHORIZED', 'Bull Board needs the operator user and password');
  };
}
