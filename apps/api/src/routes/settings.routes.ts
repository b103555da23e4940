import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '@rhx/domain';
import { readAutoPush, writeAutoPush } from '@rhx/settings';
import type { ApiDeps } from '../deps.js';
import { autoPushBody } from './settings.api.js';
import { operatorOf } from '../auth.js';

export function settingsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/v1/auto-push', async () => readAutoPush(deps.prisma));

  app.put('/v1/auto-push', async (request) => {
    const settings = parseOrThrow(autoPushBody, request.body, 'auto-push settings');
    return writeAutoPush(deps.prisma, settings, operatorOf(request));
  });
}
