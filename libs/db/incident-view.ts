import type { PrismaClient } from './client.js';

/** An incident as the API shows it (CONTRACT §3): its own fields, then what the bridge knows of it. */
export type IncidentView = Record<string, unknown> & {
  severity: string;
  analystStatus: string;
  status: 'accepted' | 'ingested';
  /** The live ticket per system (one per incident and system); earlier generations that vanished are in `retiredTickets`. */
  /**
   * The live ticket per system: `resolved` once its system resolved it (seen by the sync cycle, or done by
   * a resolve delivery); `remoteState` the remote's own state as the sync cycle last read it.
   */
  tickets: { system: string; externalId: string; url: string; createdAt: string; generation: number; resolved: boolean; remoteState: string | null }[];
  retiredTickets: { system: string; externalId: string; url: string; createdAt: string; generation: number; retiredAt: string; reason: string }[];
  deliveries: {
    id: string;
    system: string;
    status: string;
    trigger: string;
    kind: string;
    generation: number;
    attempts: number;
    lastError: string | null;
    nextAttemptAt: string | null;
  }[];
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function findIncidentView(prisma: PrismaClient, id: string): Promise<IncidentView | null> {
  const row = await prisma.incident.findUnique({
    where: { id },
    include: { tickets: { orderBy: { createdAt: 'asc' } }, deliveries: { orderBy: { createdAt: 'asc' } } },
  });
  if (!row) return null;
  return {
    ...(row.payload as Record<string, unknown>),
    severity: row.severity,
    analystStatus: row.analystStatus,
    status: row.ingestedAt ? 'ingested' : 'accepted',
    receivedAt: row.receivedAt.toISOString(),
    ingestedAt: iso(row.ingestedAt),
    tickets: row.tickets.filter((t) => !t.retiredAt).map((t) => ({
      system: t.system, externalId: t.externalId, url: t.url, createdAt: t.createdAt.toISOString(), generation: t.generation,
      resolved: !t.open, remoteState: t.remoteState,
    })),
    retiredTickets: row.tickets.filter((t) => t.retiredAt).map((t) => ({
      system: t.system, externalId: t.externalId, url: t.url, createdAt: t.createdAt.toISOString(), generation: t.generation,
      retiredAt: t.retiredAt!.toISOString(), reason: t.retiredReason ?? 'vanished',
    })),
    deliveries: row.deliveries.map((d) => ({
      id: d.id,
      system: d.system,
      status: d.status,
      trigger: d.trigger,
      // `create` makes the ticket (of `generation`); `update` adds a risk change's update to it.
      kind: d.kind,
      generation: d.generation,
      attempts: d.attempts,
      lastError: d.lastError,
      nextAttemptAt: iso(d.nextAttemptAt),
    })),
    lastSnowUpdateAt: iso(row.lastSnowUpdateAt),
    snowLastPriority: row.snowLastPriority,
    snowTicketState: row.snowTicketState,
    snowLastPolledAt: iso(row.snowLastPolledAt),
  };
}
