import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '@rhx/domain';
import { autoPushSettingsSchema, readAutoPush, writeAutoPush } from '@rhx/settings';
import type { ApiDeps } from '../deps.js';

export function settingsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/v1/auto-push', async () => readAutoPush(deps.prisma));

  app.put('/v1/auto-push', async (request) => {
    const settings = parseOrThrow(autoPushSettingsSchema.strict(), request.body, 'auto-push settings');
    return writeAutoPush(deps.prisma, settings);
  });
}
