import type { PrismaClient } from '@rhx/db';
import { incidentSchema, type Operator, type TargetSystem } from '@rhx/domain';
import type { AdapterProvider } from './adapter-provider.js';
import { requestManualPush, type ManualPushResult } from './manual-push.js';
import type { RedriveDeps } from './delivery-redrive.js';

/** A target that cannot take a ticket now, and why (the API answers 409 with `code`). */
export interface TargetNotReady {
  kind: 'not-ready';
  code: 'TARGET_DISABLED' | 'TARGET_NOT_CONFIGURED';
  message: string;
}

/** Exactly what a push would send: the text people read, and `body`, the request body itself. */
export interface TicketPreview {
  target: TargetSystem;
  summary: string;
  description: string;
  priority: string;
  body: Record<string, unknown>;
}

export type PreviewResult = { kind: 'preview'; preview: TicketPreview } | { kind: 'unknown-incident' } | TargetNotReady;

async function readyAdapter(adapters: AdapterProvider, system: TargetSystem) {
  const target = await adapters.forSystem(system);
  if (target.ready) return { kind: 'ready' as const, adapter: target.adapter };
  const code = target.reason === 'disabled' ? 'TARGET_DISABLED' : 'TARGET_NOT_CONFIGURED';
  return { kind: 'not-ready' as const, code, message: target.message } satisfies TargetNotReady;
}

/**
 * The ticket an analyst would create for the incident in `target`, built by the adapter that pushes it,
 * so `JSON.stringify(body)` is byte for byte the request a push sends now.
 * @throws TicketError when the adapter needs the remote to prepare it (a ServiceNow group look-up) and that fails.
 */
export async function previewTicket(deps: { prisma: PrismaClient; adapters: AdapterProvider }, incidentId: string, target: TargetSystem): Promise<PreviewResult> {
  const row = await deps.prisma.incident.findUnique({ where: { id: incidentId }, select: { payload: true } });
  if (!row) return { kind: 'unknown-incident' };
  const ready = await readyAdapter(deps.adapters, target);
  if (ready.kind === 'not-ready') return ready;
  const request = await ready.adapter.prepareCreate(incidentSchema.parse(row.payload));
  return { kind: 'preview', preview: { target, summary: request.summary, description: request.description, priority: request.priority, body: request.body } };
}

/** An analyst's "Create ticket": refused while the target is not configured or disabled, else {@link requestManualPush}. */
export async function createTicketNow(
  deps: RedriveDeps & { prisma: PrismaClient; adapters: AdapterProvider },
  incidentId: string,
  target: TargetSystem,
  operator: Operator,
): Promise<ManualPushResult | TargetNotReady> {
  const ready = await readyAdapter(deps.adapters, target);
  if (ready.kind === 'not-ready') return ready;
  return requestManualPush(deps, incidentId, target, operator);
}
