import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newSessionId } from './console-session.js';
import { rememberSession, sessionOf } from './session-request.js';
import { CONSOLE_PATH, SESSION_COOKIE, type ConsoleContext } from './console-context.js';
import { field } from './form.js';
import { serverTiming } from '../sign-in-throttle.js';
import { checkCredentials } from './operator-auth.js';
import { renderPage } from './render.js';

// The whole site, not only /console: Bull Board (/admin/queues) takes the console's session too.
const COOKIE_PATH = '/';

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, id: string): void {
  // Secure when the browser reached us over TLS, directly or through a proxy that terminates it.
  const secure = request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
  void reply.setCookie(SESSION_COOKIE, id, { path: COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure, signed: true });
}

/** Only a console path of this server: `next` must never send a signed-in operator elsewhere. */
export function safeNext(next: string): string {
  return next.startsWith(`${CONSOLE_PATH}/`) && !next.startsWith('//') && !/[\\\s]/.test(next) && !next.startsWith(`${CONSOLE_PATH}/sign-`)
    ? next
    : `${CONSOLE_PATH}/incidents`;
}

export function signInRoutes(scope: FastifyInstance, ctx: ConsoleContext): void {
  const page = (request: FastifyRequest, reply: FastifyReply, data: { next: string; error?: string; notice?: string; user?: string }, status = 200) =>
    renderPage(ctx, request, reply, 'sign-in', { title: 'Sign in', nav: 'none', enabled: ctx.accounts.length > 0, user: undefined, typedUser: data.user ?? '', ...data }, status);

  scope.get<{ Querystring: { next?: string; signedOut?: string } }>('/sign-in', { config: { public: true } }, async (request, reply) => {
    const current = sessionOf(request);
    if (current?.session) return reply.redirect(safeNext(request.query.next ?? ''), 303);
    // A visitor gets a session id before signing in, so the sign-in form has a CSRF token too.
    if (!current?.id) {
      const id = newSessionId();
      rememberSession(request, { id });
      setSessionCookie(request, reply, id);
    }
    return page(request, reply, { next: safeNext(request.query.next ?? ''), ...(request.query.signedOut ? { notice: 'You are signed out.' } : {}) });
  });

  scope.post('/sign-in', { config: { public: true } }, async (request, reply) => {
    const user = field(request.body, 'user');
    const next = safeNext(field(request.body, 'next'));
    if (ctx.accounts.length === 0) return page(request, reply, { next }, 403);
    // Never a refusal whatever was guessed before: a wait (at most the schedule's cap), then the check.
    const { result: signedIn, ...counts } = await ctx.signIns.attempt({ user, ip: request.ip }, () =>
      checkCredentials(ctx.accounts, user, field(request.body, 'password')),
    );
    void reply.header('server-timing', serverTiming(counts.delayMs));
    if (!signedIn) {
      request.log.warn({ ip: request.ip, ...counts }, 'console sign-in refused');
      return page(request, reply, { next, user, error: 'Wrong user name or password.' }, 401);
    }
    // A new id at sign-in: an id planted in the browser before sign-in is worth nothing after it.
    const id = newSessionId();
    await ctx.sessions.create(id, { user: signedIn, since: Date.now() });
    setSessionCookie(request, reply, id);
    request.log.info({ user: signedIn }, 'console sign-in');
    return reply.redirect(next, 303);
  });

  scope.post('/sign-out', { config: { public: true } }, async (request, reply) => {
    const current = sessionOf(request);
    if (current?.id) await ctx.sessions.destroy(current.id);
    void reply.clearCookie(SESSION_COOKIE, { path: COOKIE_PATH });
    return reply.redirect(`${CONSOLE_PATH}/sign-in?signedOut=1`, 303);
  });
}
