import type { Harness } from './harness.js';

/** Stored incidents (minimal rows, no queue): what deliveries need to exist. */
export async function seedIncidents(h: Harness, ids: string[]): Promise<void> {
  await h.prisma.$executeRawUnsafe(
    `INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, source, occurred_at, ingested_at)
     SELECT id, '{}'::json, 'HIGH', 80, 'actor', 'user', 'api', now(), now() FROM unnest($1::text[]) AS id`,
    ids,
  );
}

export interface DeliveryRow {
  incidentId: string;
  system?: 'jira' | 'servicenow';
  status?: string;
  trigger?: string;
  attempts?: number;
  lastError?: string;
  lastErrorCode?: string;
  nextAttemptAt?: Date;
  leaseUntil?: Date;
  createdAt?: Date;
}

/** A delivery row written directly, as the workers would leave it. */
export async function seedDelivery(h: Harness, row: DeliveryRow): Promise<string> {
  const { leaseUntil, ...rest } = row;
  const d = await h.prisma.delivery.create({
    data: {
      system: 'jira', trigger: 'auto', ...rest,
      ...(leaseUntil ? { leaseUntil, leaseToken: '6f1c1b1e-0000-4000-8000-000000000001' } : {}),
    },
  });
  return d.id;
}
