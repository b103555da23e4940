import type { FastifyInstance } from 'fastify';
import { InvalidInputError, RISK_LEVELS, TARGET_SYSTEMS, parseOrThrow } from '@rhx/domain';
import { autoPushSettingsSchema, readAutoPush, writeAutoPush } from '@rhx/settings';
import { CONSOLE_PATH, type ConsoleContext } from '../console-context.js';
import { field, fieldList } from '../form.js';
import { renderPage } from '../render.js';
import { flash } from '../session-request.js';
import { operatorOf } from '../../auth.js';

/** The auto-push rule: the same settings, read and written by the same functions, as `/v1/auto-push`. */
export function autoPushPages(scope: FastifyInstance, ctx: ConsoleContext): void {
  const options = { levels: RISK_LEVELS, targets: TARGET_SYSTEMS };

  scope.get('/auto-push', async (request, reply) => {
    const [settings, statuses] = await Promise.all([readAutoPush(ctx.deps.prisma), ctx.admin.statuses()]);
    return renderPage(ctx, request, reply, 'auto-push', { title: 'Auto-push', nav: 'auto-push', settings, statuses, ...options });
  });

  scope.post('/auto-push', async (request, reply) => {
    const body = { enabled: field(request.body, 'enabled') === 'on', minSeverity: field(request.body, 'minSeverity'), targets: fieldList(request.body, 'targets') };
    try {
      await writeAutoPush(ctx.deps.prisma, parseOrThrow(autoPushSettingsSchema.strict(), body, 'auto-push settings'), operatorOf(request));
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      const statuses = await ctx.admin.statuses();
      return renderPage(ctx, request, reply, 'auto-push', { title: 'Auto-push', nav: 'auto-push', settings: body, statuses, problems: err.problems, ...options }, 400);
    }
    await flash(ctx, request, 'ok', 'Auto-push settings saved.');
    return reply.redirect(`${CONSOLE_PATH}/auto-push`, 303);
  });
}
