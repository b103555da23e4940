import type { TicketAdapter, TicketReference } from '@rhx/adapters';
import { poolOf } from '@rhx/db';
import { incidentSchema, type TargetSystem } from '@rhx/domain';
import { AdapterProvider, adapterOptionsFrom } from '@rhx/push';
import { SyncCycle, SyncRepository, type SyncCycleDeps } from '@rhx/sync';
import { adapterThrottle, createSystemThrottle } from '@rhx/throttle';
import { auth, readFixture, type Harness } from './harness.js';

/** Adapters as a sync worker builds them: stored settings, the fleet-wide throttle in Redis. */
export function syncAdapters(h: Harness): AdapterProvider {
  const throttle = adapterThrottle(createSystemThrottle(h.redis, h.config));
  return new AdapterProvider(h.integrations, { ...adapterOptionsFrom(h.config), throttle }, 0);
}

/** A cycle on the harness's database; `overrides` replace any of its dependencies. */
export function syncCycle(h: Harness, overrides: Partial<SyncCycleDeps> = {}): SyncCycle {
  return new SyncCycle({
    repository: new SyncRepository(h.prisma),
    adapters: syncAdapters(h),
    integration: 'standard',
    concurrency: 4,
    logger: h.logger,
    ...overrides,
  });
}

/** Stores incident `id` through the API and records `ref` as its ticket in `ref.system`. */
export async function storeTicket(h: Harness, id: string, ref: TicketReference): Promise<void> {
  const res = await h.app.inject({ method: 'POST', url: '/v1/incidents', headers: auth, payload: { ...readFixture('low-minimal.json'), id } });
  if (res.statusCode !== 202) throw new Error(`incident ${id} not accepted: ${res.body}`);
  await poolOf(h.prisma).query(
    'INSERT INTO ticket_refs (incident_id, system, external_id, remote_id, url) VALUES ($1, $2, $3, $4, $5)',
    [id, ref.system, ref.externalId, ref.remoteId, ref.url],
  );
}

/** Makes a real ticket for incident `id` in the simulator behind `adapter` and stores both. */
export async function ticketFor(h: Harness, adapter: TicketAdapter, id: string): Promise<TicketReference> {
  const incident = incidentSchema.parse({ ...readFixture('low-minimal.json'), id });
  const ref = await adapter.createTicket(await adapter.prepareCreate(incident));
  await storeTicket(h, id, ref);
  return ref;
}

export async function readyAdapter(provider: AdapterProvider, system: TargetSystem): Promise<TicketAdapter> {
  const readiness = await provider.forSystem(system);
  if (!readiness.ready) throw new Error(`${system} is not ready: ${readiness.message}`);
  return readiness.adapter;
}

export interface SyncedRow {
  analystStatus: string;
  snowTicketState: string | null;
  snowPolledAt: Date | null;
  updatedAt: Date;
  open: boolean;
  remoteState: string | null;
  polledAt: Date | null;
}

/** The incident's sync columns and its reference's, read straight from PostgreSQL. */
export async function syncedRow(h: Harness, id: string): Promise<SyncedRow> {
  const { rows } = await poolOf(h.prisma).query<SyncedRow>(
    `SELECT i.analyst_status AS "analystStatus", i.snow_ticket_state AS "snowTicketState", i.snow_last_polled_at AS "snowPolledAt",
       i.updated_at AS "updatedAt", r.open, r.remote_state AS "remoteState", r.last_polled_at AS "polledAt"
     FROM incidents i JOIN ticket_refs r ON r.incident_id = i.id WHERE i.id = $1`,
    [id],
  );
  if (!rows[0]) throw new Error(`no ticket for ${id}`);
  return rows[0];
}

/** The incident's history rows written by the sync (source ending in `-sync`), oldest first. */
export async function syncHistory(h: Harness, id: string) {
  const { rows } = await poolOf(h.prisma).query<{ action: string; source: string; message: string; old: Record<string, unknown>; new: Record<string, unknown> | null }>(
    `SELECT action, source, message, old_value AS old, new_value AS new FROM incident_history
     WHERE incident_id = $1 AND source LIKE '%-sync' ORDER BY id`,
    [id],
  );
  return rows;
}
