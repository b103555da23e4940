import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { appPath } from '@rhx/config';

const require = createRequire(import.meta.url);

// Read once at start: two small files, served from this origin (no CDN), cached by the browser for a day.
const ASSETS: Record<string, { type: string; body: Buffer }> = {
  'htmx.min.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')) },
  'console.css': { type: 'text/css; charset=utf-8', body: readFileSync(appPath('apps/api/src/console/assets/console.css')) },
};

export function assetRoutes(scope: FastifyInstance): void {
  scope.get<{ Params: { name: string } }>('/assets/:name', { config: { public: true } }, async (request, reply) => {
    const asset = ASSETS[request.params.name];
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(asset.body);
  });
}
