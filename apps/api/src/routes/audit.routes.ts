import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '@rhx/domain';
import { auditPage, auditQueryFields, poolOf } from '@rhx/db';
import type { ApiDeps } from '../deps.js';

/** `GET /v1/audit`: the trail of operator actions, newest first (see `@rhx/db`'s audit log). */
export function auditRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/v1/audit', async (request) => auditPage(poolOf(deps.prisma), parseOrThrow(auditQueryFields, request.query, 'query')));
}
