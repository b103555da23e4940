import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseOrThrow } from '@rhx/domain';
import { AUDIT_ACTIONS, auditPage, decodeAuditCursor, poolOf } from '@rhx/db';
import type { ConsoleContext } from '../console-context.js';
import { dayField, dayRange, nonEmpty } from '../form.js';
import { renderPage } from '../render.js';

const PAGE_SIZE = 50;

// The form's filters: days, not instants (an operator asks "what happened on the 3rd"), read as UTC days.
const filterQuery = z.strictObject({
  actor: z.string().trim().min(1).max(256).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  from: dayField.optional(),
  to: dayField.optional(),
  cursor: z.string().transform((text, ctx) => decodeAuditCursor(text) ?? (ctx.addIssue({ code: 'custom', message: 'is not a page of this list' }), z.NEVER)).optional(),
});

/** Who did what: the trail of operator actions (`GET /v1/audit`), filtered by operator, action and day. */
export function auditPages(scope: FastifyInstance, ctx: ConsoleContext): void {
  scope.get('/audit', async (request, reply) => {
    const filter = parseOrThrow(filterQuery, nonEmpty(request.query), 'filter');
    const page = await auditPage(poolOf(ctx.deps.prisma), {
      limit: PAGE_SIZE,
      ...(filter.cursor ? { cursor: filter.cursor } : {}),
      ...(filter.actor ? { actor: filter.actor } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...dayRange(filter.from, filter.to),
    });
    const { cursor, ...kept } = filter;
    return renderPage(ctx, request, reply, 'audit', {
      title: 'Audit', nav: 'audit', filter: kept, actions: AUDIT_ACTIONS, items: page.items, nextCursor: page.nextCursor, firstPage: !cursor,
    });
  });
}
