import type { FastifyInstance } from 'fastify';
import { poolOf } from '@rhx/db';
import type { ApiDeps } from '../deps.js';

export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const check = async (fn: () => Promise<unknown>) => fn().then(() => 'ok' as const, () => 'unreachable' as const);
    const [redis, postgres] = await Promise.all([
      check(() => deps.redis.ping()),
      check(() => poolOf(deps.prisma).query('SELECT 1')),
    ]);
    const ready = redis === 'ok' && postgres === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', redis, postgres });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}
