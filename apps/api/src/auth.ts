import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

// Comparing digests keeps the comparison constant-time whatever the lengths.
const digest = (s: string) => createHash('sha256').update(s).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

// The auth scheme is case-insensitive and followed by one or more spaces (RFC 7235 §2.1).
const BEARER = /^bearer +(\S+)$/i;

/** `Authorization: Bearer <API_TOKEN>` on `/v1/*`; no token configured means development mode. */
export function bearerAuth(token: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (token === undefined) return;
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (presented === undefined || !same(presented, token)) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'UNAUTHORIZED', 'missing or invalid bearer token');
    }
  };
}

/** HTTP Basic in front of Bull Board, which has no authentication of its own. */
export function basicAuth(user: string, password: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const sep = decoded.indexOf(':');
    const ok = sep > 0 && same(decoded.slice(0, sep), user) && same(decoded.slice(sep + 1), password);
    if (!ok) {
      void reply.header('www-authenticate', 'Basic realm="Bull Board"');
      throw new ApiError(401, 'UNAUTHORIZED', 'Bull Board needs the operator user and password');
    }
  };
}
