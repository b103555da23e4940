// (l) Round trips to PostgreSQL per ticket in the push worker on the happy path (issue 13's target: ≤ 3).
// The incidents are ingested first by a real `--role ingest` worker process (ingest is not part of the
// count); then the bench itself runs every delivery through the push path (`pushDelivery`, what a push
// worker's job handler calls) against the simulators, counting every statement any pg client in this
// process sends. One at a time first (the exact cost of one ticket), then 50 at once (what group commit
// shares between concurrent pushes).
import pg from 'pg';
import { parseConfig } from '@rhx/config';
import { createPrismaClient, poolOf } from '@rhx/db';
import { enqueueIncident } from '@rhx/producer';
import { createLogger } from '@rhx/logger';
import { createPushDeps, pushDelivery } from '@rhx/push';
import { IntegrationSettingsStore } from '@rhx/settings';
import type { TargetSystem } from '@rhx/domain';
import { stopChild, waitFor } from './procs.js';
import { FIXTURE, openStage, startWorkers } from './setup.js';
import { startSimulators, ticketingEnv } from './simulators.js';

export interface RoundTrips {
  tickets: number;
  /** Statements per ticket that scale with tickets (the settings and health reads are per second, not per ticket). */
  sequential: number;
  /** The per-second reads of the same run, per ticket at this (sequential) rate, and per second. */
  periodic: { perTicket: number; perSecond: number };
  concurrent: number;
  /** What the sequential statements were, by their first words, per ticket. */
  kinds: Record<string, number>;
}

let counting = false;
let sent: string[] = [];
const original = pg.Client.prototype.query;
// Every statement of every pg client in this process (Prisma's driver adapter and the raw pool alike).
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
    sent.push(text.trim().replace(/\s+/g, ' '));
  }
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

export async function measureRoundTrips(n = 200): Promise<RoundTrips> {
  const sims = await startSimulators('rt', 0);
  const stage = await openStage('rt');
  const ticketing = ticketingEnv(sims);
  const env = stage.env(ticketing);
  const prisma = createPrismaClient(stage.dbUrl, 20);
  try {
    for (let i = 0; i < 2 * n; i++) await enqueueIncident(stage.redis, { ...FIXTURE, id: `BENCH-RT-${i}` }, { prefix: stage.prefix });
    const ingest = await startWorkers(stage, 1, ticketing, 'ingest');
    await waitFor(async () => Number((await stage.pg.query<{ n: string }>('SELECT count(*) AS n FROM deliveries')).rows[0]?.n) >= 4 * n, 120_000, 'deliveries opened', ingest.children, 100);
    for (const c of ingest.children) await stopChild(c);

    const config = parseConfig(env);
    const integrations = new IntegrationSettingsStore(prisma, config.SETTINGS_ENCRYPTION_KEY);
    const deps = createPushDeps(prisma, integrations, config, createLogger({ name: 'bench', level: 'warn' }));
    const { rows } = await stage.pg.query<{ id: string; incident_id: string; system: TargetSystem }>(
      `SELECT id::text, incident_id, system FROM deliveries ORDER BY incident_id, system`,
    );
    const job = (r: (typeof rows)[number]) => ({ deliveryId: r.id, incidentId: r.incident_id, system: r.system });
    // Warm the caches a running worker has (settings, adapters, prepared code paths) on the first two.
    for (const r of rows.slice(0, 2)) await pushDelivery(deps, job(r));

    const one = rows.slice(2, 2 * n);
    const t0 = performance.now();
    const sequential = await count(async () => {
      for (const r of one) expectTicket(await pushDelivery(deps, job(r)));
    });
    const seconds = (performance.now() - t0) / 1000;
    const kinds: Record<string, number> = {};
    for (const s of sequential.statements) {
      const kind = s.split(' ').slice(0, 2).join(' ');
      kinds[kind] = (kinds[kind] ?? 0) + 1 / one.length;
    }
    // Settings are re-read and health re-checked at most once a second per system whatever the rate.
    const periodic = sequential.statements.filter((s) => s.includes('integration_settings')).length;

    const many = rows.slice(2 * n);
    const concurrent = await count(async () => {
      for (let i = 0; i < many.length; i += 50) {
        (await Promise.all(many.slice(i, i + 50).map((r) => pushDelivery(deps, job(r))))).forEach(expectTicket);
      }
    });
    return {
      tickets: one.length + many.length,
      sequential: (sequential.statements.length - periodic) / one.length,
      periodic: { perTicket: periodic / one.length, perSecond: periodic / seconds },
      concurrent: concurrent.statements.length / many.length,
      kinds,
    };
  } finally {
    await poolOf(prisma).end().catch(() => undefined);
    await stage.close();
    await stopChild(sims.child);
  }
}

async function count(work: () => Promise<void>): Promise<{ statements: string[] }> {
  sent = [];
  counting = true;
  try {
    await work();
  } finally {
    counting = false;
  }
  return { statements: sent };
}

function expectTicket(outcome: { kind: string }): void {
  if (outcome.kind !== 'ticket') throw new Error(`(l) a push ended ${JSON.stringify(outcome)}, not with a ticket: the happy path was not measured`);
}
