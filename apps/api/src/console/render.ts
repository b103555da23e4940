import { appPath } from '@rhx/config';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TicketError } from '@rhx/adapters';
import { InvalidInputError } from '@rhx/domain';
import { SettingsUnreadableError } from '@rhx/settings';
import { ApiError } from '../api-error.js';
import { CONSOLE_PATH, type ConsoleContext } from './console-context.js';
import { csrfTokenFor } from './operator-auth.js';
import { sessionOf } from './session-request.js';
import { VIEW_HELPERS } from './view-helpers.js';

// autoEscape: every `<%= %>` is HTML-escaped; the layout's `<%~ it.body %>` (already-rendered, escaped
// page) is the only raw output.
// By their path in the repository from the application's root: the same from the sources and the build.
const eta = new Eta({ views: appPath('apps/api/src/console/views'), autoEscape: true, cache: true });

export type NavItem = 'integrations' | 'auto-push' | 'incidents' | 'deliveries' | 'audit' | 'none';

/** Renders a console page inside the layout: the operator, the CSRF token, the navigation, a notice. */
export async function renderPage(
  ctx: ConsoleContext,
  request: FastifyRequest,
  reply: FastifyReply,
  view: string,
  data: Record<string, unknown> & { title: string; nav: NavItem },
  status = 200,
): Promise<FastifyReply> {
  const found = sessionOf(request);
  const flash = found?.session && request.method === 'GET' ? await ctx.sessions.takeFlash(found.id!, found.session) : undefined;
  const html = eta.render(`./${view}`, {
    ...data,
    base: CONSOLE_PATH,
    user: found?.session?.user,
    csrf: found?.id ? csrfTokenFor(ctx.sessionKey, found.id) : '',
    flash,
    bullBoard: ctx.bullBoardMounted,
    h: VIEW_HELPERS,
  });
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** A console route's failure as a page: the reason in words, never a stack trace. */
export async function renderError(ctx: ConsoleContext, request: FastifyRequest, reply: FastifyReply, err: Error & { statusCode?: number }): Promise<FastifyReply> {
  let status = err.statusCode ?? 500;
  let message = err.message;
  let problems: { path: string; message: string }[] = [];
  if (err instanceof InvalidInputError) [status, problems] = [400, err.problems];
  else if (err instanceof SettingsUnreadableError) status = 409;
  else if (err instanceof TicketError) status = 502;
  else if (err instanceof ApiError) status = err.statusCode;
  if (status >= 500 && !(err instanceof TicketError)) {
    request.log.error({ err }, 'console request failed');
    message = 'Something went wrong; the server log has the details.';
  }
  if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') [status, message] = [413, 'The form is too large.'];
  return renderPage(ctx, request, reply, 'error', { title: status === 404 ? 'Not found' : 'Error', nav: 'none', status, message, problems }, status);
}
