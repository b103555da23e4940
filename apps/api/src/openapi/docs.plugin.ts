import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { API_ROUTES } from './api-routes.js';
import { buildOpenApiDocument } from './openapi-document.js';

export const DOCS_PATH = '/docs';
export const OPENAPI_JSON_PATH = `${DOCS_PATH}/openapi.json`;

/** A route as Fastify registered it: one method, the full path template (`/v1/incidents/:id`). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on `app` after {@link registerDocs}, for the check that each `/v1` route is described. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

/**
 * Serves the `/v1` API's OpenAPI document at `/docs/openapi.json` and Swagger UI at `/docs`, every asset
 * from @fastify/swagger-ui's own copy (no CDN). No bearer token: the document describes the API and holds
 * no data. Call it before any route is registered: it also records the routes that follow.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  const document = buildOpenApiDocument(API_ROUTES);
  await app.register(async (docs) => {
    // Public, but never inside someone else's frame (clickjacking), like the console and Bull Board.
    docs.addHook('onSend', async (_request, reply) => {
      void reply.header('x-frame-options', 'DENY');
      if (!reply.hasHeader('content-security-policy')) void reply.header('content-security-policy', "frame-ancestors 'none'");
    });
    // Static mode: the plugin only hands our document to the UI (its typings want openapi-types' literal unions).
    await docs.register(swagger, { mode: 'static', specification: { document: document as never } });
    await docs.register(swaggerUi, {
      routePrefix: DOCS_PATH,
      // Swagger UI would ask an outside validator service about the document: the page stays local.
      validatorUrl: false,
      uiConfig: { docExpansion: 'list', deepLinking: true, persistAuthorization: false },
      theme: { title: 'RhythmX ticketing bridge API' },
    });
    docs.get(OPENAPI_JSON_PATH, async () => document);
  });
}
