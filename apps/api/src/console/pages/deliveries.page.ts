import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DELIVERY_KINDS, TARGET_SYSTEMS, parseOrThrow, targetSystemSchema } from '@rhx/domain';
import { decodeDeliveryCursor, redriveDelivery, redriveRefusal } from '@rhx/push';
import { CONSOLE_PATH, type ConsoleContext } from '../console-context.js';
import { nonEmpty } from '../form.js';
import { renderPage } from '../render.js';
import { flash } from '../session-request.js';
import { operatorOf } from '../../auth.js';

/** The deliveries an operator acts on: FAILED ones (re-drive them) and RETRY_WAIT ones (watch them). */
const VIEWS = ['FAILED', 'RETRY_WAIT'] as const;

const PAGE_SIZES = [25, 50, 100] as const;
const listQuery = z.strictObject({
  status: z.enum(VIEWS).default('FAILED'),
  system: targetSystemSchema.optional(),
  kind: z.enum(DELIVERY_KINDS).optional(),
  limit: z.enum(['25', '50', '100']).default('25').transform(Number),
  cursor: z.string().transform((text, ctx) => decodeDeliveryCursor(text) ?? (ctx.addIssue({ code: 'custom', message: 'is not a page of this list' }), z.NEVER)).optional(),
});
const idParams = z.object({ id: z.uuid('must be a delivery id') });

/** Failed and retrying deliveries with every attempt, and Retry: the API's list, detail and re-drive. */
export function deliveryPages(scope: FastifyInstance, ctx: ConsoleContext): void {
  scope.get('/deliveries', async (request, reply) => {
    const { status, system, kind, limit, cursor } = parseOrThrow(listQuery, nonEmpty(request.query), 'filter');
    const page = await ctx.deliveries.list({ status, ...(system ? { system } : {}), ...(kind ? { kind } : {}) }, { limit, ...(cursor ? { after: cursor } : {}) });
    // The attempts of each delivery shown: one small keyed read each, at most a page of them.
    const items = await Promise.all(page.items.map(async (d) => ({ ...d, log: (await ctx.deliveries.find(d.id))?.attempts ?? [] })));
    const filter = { status, system, kind, limit: String(limit) };
    return renderPage(ctx, request, reply, 'deliveries', {
      title: 'Deliveries', nav: 'deliveries', status, filter, systems: TARGET_SYSTEMS, kinds: DELIVERY_KINDS, sizes: PAGE_SIZES, items, nextCursor: page.nextCursor, firstPage: !cursor,
    });
  });

  scope.post<{ Params: { id: string } }>('/deliveries/:id/retry', async (request, reply) => {
    const { id } = parseOrThrow(idParams, request.params, 'path');
    const result = await redriveDelivery({ deliveries: ctx.deliveries, queues: ctx.deps.queues }, id.toLowerCase(), operatorOf(request));
    if (result.kind === 'not-found') throw Object.assign(new Error(`Delivery ${id} is not known.`), { statusCode: 404 });
    if (result.kind === 'refused') {
      await flash(ctx, request, 'error', redriveRefusal(result.delivery).message);
    } else {
      const d = result.delivery;
      const fields = { incidentId: d.incidentId, system: d.system, deliveryId: d.id, attempt: d.attempts };
      if (result.enqueueError) request.log.warn({ ...fields, err: (result.enqueueError as Error).message }, 'delivery re-driven; enqueue failed, the outbox sweeper will enqueue it');
      else request.log.info(fields, 'delivery re-driven from the console');
      await flash(ctx, request, 'ok', `Delivery of incident ${d.incidentId} to ${d.system} re-driven; it runs again now.`);
    }
    return reply.redirect(`${CONSOLE_PATH}/deliveries`, 303);
  });
}
