import fastifyCookie from '@fastify/cookie';
import { keyLayoutOf } from '@rhx/queue';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DeliveryRepository, type IntegrationAdmin } from '@rhx/push';
import type { ApiDeps } from '../deps.js';
import type { SignInThrottle } from '../sign-in-throttle.js';
import { ConsoleSessions } from './console-session.js';
import { consoleSessionKey, csrfTokenMatches, operatorAccounts } from './operator-auth.js';
import { CONSOLE_PATH, SESSION_COOKIE, type ConsoleContext } from './console-context.js';
import { assetRoutes } from './assets.routes.js';
import { parseForm } from './form.js';
import { renderError } from './render.js';
import { readSession } from './session-request.js';
import { signInRoutes } from './sign-in.routes.js';
import { integrationPages } from './pages/integrations.page.js';
import { autoPushPages } from './pages/auto-push.page.js';
import { incidentPages } from './pages/incidents.page.js';
import { incidentPage } from './pages/incident.page.js';
import { auditPages } from './pages/audit.page.js';
import { deliveryPages } from './pages/deliveries.page.js';

// No inline script or style anywhere: scripts and styles come from this origin only (htmx included).
const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

/** What the server shares with the console. */
export interface ConsoleOptions {
  bullBoardMounted: boolean;
  /** Failed sign-ins, counted together with Bull Board's. */
  signIns: SignInThrottle;
}

/**
 * The operator console at `/console`: server-rendered pages (eta, escaping everything) over the same
 * services as the `/v1` API, signed in with a session cookie, every state-changing request checked
 * for its CSRF token. Registered in its own encapsulated scope: its cookie, form parser, headers and
 * HTML errors touch nothing else.
 */
export async function registerConsole(app: FastifyInstance, deps: ApiDeps, admin: IntegrationAdmin, options: ConsoleOptions): Promise<ConsoleDoor> {
  const { config } = deps;
  const sessionKey = consoleSessionKey(config);
  if (sessionKey.source === 'random') {
    app.log.warn('neither CONSOLE_SESSION_SECRET nor SETTINGS_ENCRYPTION_KEY is set: console sessions end when this process stops');
  }
  const ctx: ConsoleContext = {
    deps,
    admin,
    deliveries: new DeliveryRepository(deps.prisma),
    accounts: operatorAccounts(config),
    sessionKey: sessionKey.key,
    sessions: new ConsoleSessions(deps.redis, keyLayoutOf(deps.redis, config.QUEUE_PREFIX).group('console'), config.CONSOLE_SESSION_HOURS * 3_600_000, config.CONSOLE_SESSION_MAX_HOURS * 3_600_000),
    signIns: options.signIns,
    bullBoardMounted: options.bullBoardMounted,
  };

  await app.register(async (scope) => {
    await scope.register(fastifyCookie, { secret: sessionKey.key });
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) =>
      done(null, parseForm(body.toString())),
    );
    scope.addHook('onSend', async (_request, reply) => {
      void reply.header('content-security-policy', CSP);
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('x-frame-options', 'DENY');
      void reply.header('referrer-policy', 'same-origin');
      if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    });
    scope.addHook('preHandler', async (request, reply) => guard(ctx, request, reply));
    scope.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => renderError(ctx, request, reply, err));
    scope.setNotFoundHandler((request, reply) => renderError(ctx, request, reply, Object.assign(new Error('There is no console page here.'), { statusCode: 404 })));

    scope.get('/', { config: { public: true } }, async (_request, reply) => reply.redirect(`${CONSOLE_PATH}/incidents`, 303));
    assetRoutes(scope);
    signInRoutes(scope, ctx);
    integrationPages(scope, ctx);
    autoPushPages(scope, ctx);
    incidentPages(scope, ctx);
    incidentPage(scope, ctx);
    deliveryPages(scope, ctx);
    auditPages(scope, ctx);
  }, { prefix: CONSOLE_PATH });

  return {
    async signedInUser(request) {
      const raw = fastifyCookie.parse(request.headers.cookie ?? '')[SESSION_COOKIE];
      const unsigned = raw ? fastifyCookie.unsign(raw, ctx.sessionKey) : undefined;
      if (!unsigned?.valid || !unsigned.value) return undefined;
      return (await ctx.sessions.read(unsigned.value))?.user;
    },
  };
}

/** What the console lends the rest of the server: who a request's console session belongs to (Bull Board). */
export interface ConsoleDoor {
  /** The signed-in console user of `request`'s session cookie; undefined without a live session. */
  signedInUser(request: FastifyRequest): Promise<string | undefined>;
}

/**
 * Every console route but the public ones (assets, sign-in) needs a signed-in operator: a page asks for
 * sign-in, anything else is refused. Every POST, public or not, must carry the CSRF token of the
 * session it comes with.
 */
async function guard(ctx: ConsoleContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const found = await readSession(ctx, request);
  const isPublic = (request.routeOptions.config as { public?: boolean } | undefined)?.public === true;
  if (request.method === 'POST') {
    const body = request.body as Record<string, unknown> | undefined;
    const presented = typeof body?._csrf === 'string' ? body._csrf : (request.headers['x-csrf-token'] as string | undefined);
    if (!found.id || !csrfTokenMatches(ctx.sessionKey, found.id, presented)) {
      throw Object.assign(new Error('This form has expired or did not come from this console (its CSRF token is missing or wrong). Reload the page and try again.'), { statusCode: 403 });
    }
  }
  if (found.session) request.operator = { kind: 'console', name: found.session.user };
  if (isPublic || found.session) return undefined;
  if (request.method === 'GET') {
    const next = encodeURIComponent(request.url);
    return reply.redirect(`${CONSOLE_PATH}/sign-in?next=${next}`, 303);
  }
  throw Object.assign(new Error('Sign in first: this session has ended.'), { statusCode: 401 });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A console route open without a signed-in operator (assets, sign-in); its POSTs still need the CSRF token. */
    public?: boolean;
  }
}
