import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { keyLayoutOf } from '@rhx/queue';
import type { TrustProxy } from '@rhx/config';
import type { Logger } from '@rhx/logger';
import { IntegrationAdmin } from '@rhx/push';
import { frameworkErrorReply, installErrorHandling } from './api-error.js';
import { forbiddenKeyError } from './json-body.js';
import { apiTokensOf, bearerAuth } from './auth.js';
import { mountBullBoard } from './bull-board.js';
import { registerDocs } from './openapi/docs.plugin.js';
import type { ApiDeps } from './deps.js';
import { healthRoutes } from './routes/health.routes.js';
import { incidentRoutes } from './routes/incidents.routes.js';
import { settingsRoutes } from './routes/settings.routes.js';
import { integrationRoutes } from './routes/integrations.routes.js';
import { ticketRoutes } from './routes/tickets.routes.js';
import { deliveryRoutes } from './routes/deliveries.routes.js';
import { riskRoutes } from './routes/risk.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { registerConsole } from './console/console.plugin.js';
import { SIGN_IN_SCHEDULE, SignInThrottle, type SignInSchedule } from './sign-in-throttle.js';
import { registerDeliveryGauges, registerSyncMetrics, registerThrottleGauge } from './metrics.js';
import { SyncStats } from '@rhx/sync';
import { ThrottledTime } from '@rhx/throttle';

export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
// Node refuses request heads over 16 KiB, so every path parameter reaches its route's own validation
// (and its error envelope) instead of Fastify's 414 at 100 characters.
const MAX_PARAM_LENGTH = 16 * 1024;

/** Options a test may change; production uses the defaults. */
export interface ServerOptions {
  /** How failed sign-ins (console and Bull Board) slow the next attempt. */
  signIn?: Partial<SignInSchedule>;
}

/**
 * `TRUST_PROXY` as Fastify's `trustProxy`. A hop count becomes a function: Fastify 5 reads a bare number
 * as "trust no hop" (it cannot check the connection's peer), while a hop count is the operator's word
 * that the API is reachable only through that many proxies.
 */
export function trustProxyOption(setting: TrustProxy): FastifyServerOptions['trustProxy'] {
  if (setting === false) return false;
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return [...setting];
}

/** The HTTP API (CONTRACT §3), ready to listen or to be driven with `inject` in tests. */
export async function buildServer(deps: ApiDeps, logger: Logger, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    trustProxy: trustProxyOption(deps.config.TRUST_PROXY),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorReply,
  });
  installErrorHandling(app);
  // JSON only: a text/plain body is an unsupported media type (415), not a string for zod to refuse.
  app.removeContentTypeParser('text/plain');
  // An empty JSON body (a bodiless POST such as a connection test, sent with a JSON content type) is
  // "no body", not malformed JSON; everything else goes through Fastify's own safe parser. What it
  // refuses for a `__proto__` key is valid JSON: that is a 400 naming the key.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    const text = body.toString();
    parseJson(request, text, (err, value) => (err ? done(forbiddenKeyError(text) ?? err, undefined) : done(null, value)));
  });
  // First: it records every route registered after it (each `/v1` one must be described).
  await registerDocs(app);
  const { config } = deps;
  // One count of failed sign-ins for both doors that take the operators' passwords.
  const keys = keyLayoutOf(deps.redis, config.QUEUE_PREFIX);
  const signIns = new SignInThrottle(deps.redis, keys.group('sign-in'), { ...SIGN_IN_SCHEDULE, ...options.signIn });
  const bullBoardMounted = Boolean(config.BULL_BOARD_USER && config.BULL_BOARD_PASSWORD);
  // One set of services behind both doors: the /v1 API and the console call the same functions.
  const admin = new IntegrationAdmin({ ...deps, encryptionKeySet: Boolean(config.SETTINGS_ENCRYPTION_KEY) });
  await app.register(async (v1) => {
    v1.addHook('onRequest', bearerAuth(apiTokensOf(config)));
    incidentRoutes(v1, deps);
    settingsRoutes(v1, deps);
    ticketRoutes(v1, deps);
    deliveryRoutes(v1, deps);
    riskRoutes(v1, deps);
    integrationRoutes(v1, admin);
    auditRoutes(v1, deps);
  });
  const consoleDoor = await registerConsole(app, deps, admin, { bullBoardMounted, signIns });
  if (config.BULL_BOARD_USER && config.BULL_BOARD_PASSWORD) {
    await mountBullBoard(app, deps.queues, { user: config.BULL_BOARD_USER, password: config.BULL_BOARD_PASSWORD }, signIns, consoleDoor);
  }
  // Added here, where the API's Prisma client is at hand: createMetrics(queues) is built before it by
  // main.ts and the test harness.
  registerDeliveryGauges(deps.metrics.registry, deps.prisma);
  registerThrottleGauge(deps.metrics.registry, new ThrottledTime(deps.redis, keys.group('throttle')));
  registerSyncMetrics(deps.metrics.registry, new SyncStats(deps.redis, keys.group('sync')));
  healthRoutes(app, deps);
  return app;
}
