import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SYSTEMS, TicketError } from '@rhx/adapters';
import {
  TARGET_SYSTEMS, UNFINISHED_STATUSES, analystStatusChangeSchema, fieldProblems, parseOrThrow, targetSystemSchema,
  type DeliveryStatus, type TargetSystem,
} from '@rhx/domain';
import { decodeHistoryCursor, findIncidentView, listIncidentHistory, riskHistory } from '@rhx/db';
import { createTicketNow, previewTicket, setAnalystStatus, type TicketPreview } from '@rhx/push';
import { incidentIdParam } from '../../incident-id.param.js';
import { CONSOLE_PATH, type ConsoleContext } from '../console-context.js';
import { field } from '../form.js';
import { renderPage } from '../render.js';
import { flash } from '../session-request.js';
import { operatorOf } from '../../auth.js';
import { riskChart } from '../risk-chart.js';

type IdReq = { Params: { id: string }; Querystring: { preview?: string; historyCursor?: string; requested?: string } };

/** History rows per page of the incident page; the rest is a "Show older events" away. */
export const HISTORY_PAGE_SIZE = 50;

const historyQuery = z.object({
  historyCursor: z.string().transform((text, ctx) => decodeHistoryCursor(text) ?? (ctx.addIssue({ code: 'custom', message: 'is not a page of this history' }), z.NEVER)).optional(),
});

const notFound = (id: string) => Object.assign(new Error(`Incident ${id} is not known.`), { statusCode: 404 });
const name = (system: TargetSystem) => SYSTEMS[system].label;

/** The preview of `target`, or why there is none, in words (a refusal here is not a page error). */
async function previewFor(
  ctx: ConsoleContext, id: string, target: TargetSystem,
): Promise<{ target: TargetSystem; preview?: TicketPreview; ruleFields?: [string, string][]; error?: string }> {
  try {
    const result = await previewTicket(ctx.deps, id, target);
    if (result.kind === 'unknown-incident') throw notFound(id);
    if (result.kind === 'not-ready') return { target, error: `${result.message}; configure it under Integrations.` };
    // The fields the rules set, each exactly as sent (JSON), beside the summary, priority and description.
    const ruleFields = Object.entries(SYSTEMS[ctx.admin.fieldsOf(target).profile].ruleFields(result.preview.body)).map(([k, v]): [string, string] => [k, JSON.stringify(v, null, 2)]);
    return { target, preview: result.preview, ruleFields };
  } catch (err) {
    if (err instanceof TicketError) return { target, error: `${name(target)} could not prepare the ticket: ${err.message}` };
    throw err;
  }
}

/**
 * One incident: overview, tickets with their remote state and the per-target actions (Preview, Create
 * ticket), Resolve (close the incident and its tickets), deliveries and
 * the history as a timeline. Read through the same functions as `GET /v1/incidents/:id` and `/history`.
 * The timeline is newest first (what an analyst looks at) and one page of {@link HISTORY_PAGE_SIZE}
 * rows at a time, keyset paged like the API: never the whole trail at once.
 */
export function incidentPage(scope: FastifyInstance, ctx: ConsoleContext): void {
  async function show(request: FastifyRequest<IdReq>, reply: FastifyReply) {
    const id = incidentIdParam(request.params);
    const { historyCursor } = parseOrThrow(historyQuery, request.query, 'query');
    const historyPage = { limit: HISTORY_PAGE_SIZE, order: 'newest-first' as const, ...(historyCursor ? { after: historyCursor } : {}) };
    const [view, history, statuses, risks] = await Promise.all([
      findIncidentView(ctx.deps.prisma, id), listIncidentHistory(ctx.deps.prisma, id, historyPage), ctx.admin.statuses(), riskHistory(ctx.deps.prisma, id),
    ]);
    if (!view || !history) throw notFound(id);
    // The system whose ticket this operator just asked for: its box says how the request goes until it ends.
    const requested = targetSystemSchema.safeParse(request.query.requested);
    const target = targetSystemSchema.safeParse(request.query.preview);
    const preview = target.success ? await previewFor(ctx, id, target.data) : undefined;
    const targets = TARGET_SYSTEMS.map((system) => {
      const status = statuses.find((s) => s.system === system)!;
      const found = view.tickets.find((t) => t.system === system);
      // The remote's state as people read it (ServiceNow `2` is In Progress), by the profile serving the system.
      const ticket = found && {
        ...found, state: found.resolved ? 'Resolved' : found.remoteState ? SYSTEMS[ctx.admin.fieldsOf(system).profile].sync.label(found.remoteState) : 'not read yet',
      };
      const delivery = view.deliveries.find((d) => d.system === system);
      const blocked = !status.configured ? `${name(system)} is not configured` : !status.enabled ? `${name(system)} is disabled` : undefined;
      return { system, ticket, delivery, blocked, requested: requested.success && requested.data === system };
    });
    // While a ticket is on its way the tickets section refreshes itself (htmx); without script, reload.
    const inFlight = view.deliveries.some((d) => UNFINISHED_STATUSES.includes(d.status as DeliveryStatus));
    const openTickets = view.tickets.filter((t) => !t.resolved).length;
    // Where the score started (when the incident came in) and each change after it.
    const chart = risks.length ? riskChart([{ at: String(view.receivedAt), score: risks[0]!.from ?? risks[0]!.to }, ...risks.map((r) => ({ at: r.at, score: r.to }))]) : undefined;
    return renderPage(ctx, request, reply, 'incident', {
      title: `Incident ${id}`, nav: 'incidents', view, history: history.items, historyNext: history.nextCursor, historyOlder: historyCursor !== undefined,
      targets, preview, inFlight, openTickets, chart,
      refresh: `${CONSOLE_PATH}/incidents/${encodeURIComponent(id)}${requested.success ? `?requested=${requested.data}` : ''}`,
    });
  }

  scope.get<IdReq>('/incidents/:id', show);

  // Resolve: the analyst closes the incident here, as `PATCH /v1/incidents/:id` does (one history row; a
  // resolve delivery per open ticket where the system's lifecycle resolves).
  scope.post<IdReq>('/incidents/:id/status', async (request, reply) => {
    const id = incidentIdParam(request.params);
    const note = field(request.body, 'note').trim();
    const change = analystStatusChangeSchema.safeParse({ analystStatus: field(request.body, 'analystStatus'), ...(note ? { note } : {}) });
    const back = () => reply.redirect(`${CONSOLE_PATH}/incidents/${encodeURIComponent(id)}`, 303);
    if (!change.success) {
      await flash(ctx, request, 'error', `Not resolved: ${fieldProblems(change.error).map((p) => `${p.path} ${p.message}`).join('; ')}.`);
      return back();
    }
    const deps = { deliveries: ctx.deliveries, queues: ctx.deps.queues, adapters: ctx.deps.adapters, logger: request.log };
    const set = await setAnalystStatus(deps, id, change.data, 'console', operatorOf(request));
    if (!set) throw notFound(id);
    const systems = set.resolves.map((r) => name(r.system)).join(' and ');
    await flash(ctx, request, 'ok', set.resolves.length
      ? `Incident marked ${change.data.analystStatus}; resolving its ${systems} ticket${set.resolves.length === 1 ? '' : 's'}.`
      : `Incident marked ${change.data.analystStatus}; no ticket to resolve (none open, or resolving is off under Integrations → Lifecycle).`);
    return back();
  });

  scope.post<IdReq>('/incidents/:id/tickets', async (request, reply) => {
    const id = incidentIdParam(request.params);
    const target = targetSystemSchema.safeParse(field(request.body, 'target'));
    if (!target.success) throw Object.assign(new Error('Choose Jira or ServiceNow.'), { statusCode: 400 });
    const system = target.data;
    const result = await createTicketNow({ prisma: ctx.deps.prisma, adapters: ctx.deps.adapters, deliveries: ctx.deliveries, queues: ctx.deps.queues }, id, system, operatorOf(request));
    if (result.kind === 'unknown-incident') throw notFound(id);
    if (result.kind === 'not-ready') await flash(ctx, request, 'error', `${result.message}; configure it under Integrations.`);
    else if (result.kind === 'ticket-exists') await flash(ctx, request, 'error', `This incident already has ${name(system)} ticket ${result.ticket.externalId}.`);
    else return reply.redirect(`${CONSOLE_PATH}/incidents/${encodeURIComponent(id)}?requested=${system}`, 303);
    return reply.redirect(`${CONSOLE_PATH}/incidents/${encodeURIComponent(id)}`, 303);
  });
}
