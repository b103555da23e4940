import { TARGET_SYSTEMS, CLOSING_STATUSES, type AnalystStatusChange, type Operator, type TargetSystem } from '@rhx/domain';
import type { OpenedResolve } from '@rhx/deliveries';
import type { Logger } from '@rhx/logger';
import type { PrismaClient } from '@rhx/db';
import { DeliveryRepository } from '@rhx/deliveries';
import type { Queues } from '@rhx/queue';
import type { IntegrationSettingsStore } from '@rhx/settings';
import { AdapterProvider, adapterOptionsFrom } from './adapter-provider.js';
import { requeueDelivery, type RedriveDeps } from './delivery-redrive.js';

/** What setting an analyst's status needs: the deliveries, the queues, the systems' settings. */
export interface AnalystStatusDeps extends RedriveDeps {
  adapters: Pick<AdapterProvider, 'forSystem'>;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * The systems whose lifecycle does `step` (`resolve`: a close resolves their open tickets; `reopen`: a rise
 * reopens their resolved ones), enabled or not (a disabled system's delivery is skipped visibly, and a
 * re-drive sends it once enabled). A system whose settings cannot be read is included: its delivery then
 * fails visibly instead of being forgotten.
 */
async function lifecycleSystems(adapters: AnalystStatusDeps['adapters'], step: 'resolve' | 'reopen'): Promise<TargetSystem[]> {
  const systems: TargetSystem[] = [];
  for (const system of TARGET_SYSTEMS) {
    const target = await adapters.forSystem(system, { ignoreEnabled: true }).catch(() => 'unreadable' as const);
    if (target === 'unreadable' || (target.ready && target.adapter.lifecycle[step])) systems.push(system);
  }
  return systems;
}

/** The systems whose open tickets a close resolves. */
export const resolvingSystems = (adapters: AnalystStatusDeps['adapters']) => lifecycleSystems(adapters, 'resolve');
/** The systems whose resolved tickets a rise reopens, for the cadence gate. */
export const reopeningSystems = (adapters: AnalystStatusDeps['adapters']) => lifecycleSystems(adapters, 'reopen');

/**
 * An analyst's status for an incident (`PATCH /v1/incidents/:id`, the console's Resolve, the producer
 * library's event): recorded with its history row, and a closing status (CLOSED, FALSE_POSITIVE) opens a
 * resolve delivery for each open ticket where the system's lifecycle resolves, all in one statement; the
 * resolves are then queued (a lost enqueue is found by the reconciler: the deliveries are PENDING).
 * @returns the status before and the resolves opened, or null when the incident is not known.
 */
export async function setAnalystStatus(
  deps: AnalystStatusDeps, incidentId: string, change: AnalystStatusChange, source: string, operator?: Operator,
): Promise<{ previous: string; resolves: OpenedResolve[] } | null> {
  const resolving = CLOSING_STATUSES.includes(change.analystStatus) ? await resolvingSystems(deps.adapters) : [];
  const set = await deps.deliveries.recordAnalystStatus(incidentId, change, source, resolving, operator);
  if (!set) return null;
  deps.logger.info({ incidentId, analystStatus: change.analystStatus, previous: set.previous, source, resolves: set.resolves.length }, 'analyst status set');
  for (const r of set.resolves) {
    await requeueDelivery(deps.queues, { id: r.id, incidentId, system: r.system, status: 'PENDING' }).catch((err: unknown) =>
      deps.logger.warn({ incidentId, system: r.system, deliveryId: r.id, err: (err as Error).message }, 'resolve not queued; the reconciler will queue it'),
    );
  }
  return set;
}

/** What a worker process's ingest consumer needs of the ticket lifecycle (it cannot build adapters itself). */
export interface IncidentLifecycle {
  /** Sets an analyst's status (see {@link setAnalystStatus}); false when the incident is not known. */
  setAnalystStatus(incidentId: string, change: AnalystStatusChange, source: string): Promise<boolean>;
  /** The systems whose resolved tickets a rise reopens. */
  reopening(): Promise<TargetSystem[]>;
}

/** The ticket lifecycle for a worker process, on the stored settings. */
export function incidentLifecycle(
  prisma: PrismaClient, integrations: IntegrationSettingsStore, config: Parameters<typeof adapterOptionsFrom>[0], queues: Queues, logger: AnalystStatusDeps['logger'],
): IncidentLifecycle {
  const deps = { deliveries: new DeliveryRepository(prisma), queues, adapters: new AdapterProvider(integrations, adapterOptionsFrom(config)), logger };
  return {
    setAnalystStatus: async (incidentId, change, source) => (await setAnalystStatus(deps, incidentId, change, source)) !== null,
    reopening: () => reopeningSystems(deps.adapters),
  };
}
