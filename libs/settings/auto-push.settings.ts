import { z } from 'zod';
import { riskLevelSchema, targetSystemSchema, type Operator } from '@rhx/domain';
import { inTransaction, poolOf, recordAudit, type PrismaClient } from '@rhx/db';
import type { Config } from '@rhx/config';

/** `{enabled, minSeverity, targets}` as the API shows and takes it. */
export const autoPushSettingsSchema = z.object({
  enabled: z.boolean(),
  minSeverity: riskLevelSchema,
  // The refinement is the server's check; `uniqueItems` is how the document says the same.
  targets: z
    .array(targetSystemSchema)
    .refine((t) => new Set(t).size === t.length, 'must not repeat a target')
    .meta({ uniqueItems: true, description: 'Each target at most once.' }),
});
export type AutoPushSettings = z.infer<typeof autoPushSettingsSchema>;

// Through the driver adapter's pg pool, not Prisma's query engine: the first Prisma query loads its
// WebAssembly query compiler, some 70 MB of RSS a worker would carry for a handful of statements.

/** The row is seeded from AUTO_PUSH_* the first time and then owned by the API. */
export async function seedAutoPush(prisma: PrismaClient, config: Config): Promise<void> {
  // ON CONFLICT DO NOTHING, not a read then an insert: processes starting at the same moment (a fleet,
  // two workers) would otherwise both insert, and one would die of the unique key.
  await poolOf(prisma).query(
    `INSERT INTO auto_push_settings (id, enabled, min_severity, targets, updated_at) VALUES (1, $1, $2, $3::text[], now()) ON CONFLICT (id) DO NOTHING`,
    [config.AUTO_PUSH_ENABLED, config.AUTO_PUSH_MIN_SEVERITY, [...config.AUTO_PUSH_TARGETS]],
  );
}

export async function readAutoPush(prisma: PrismaClient): Promise<AutoPushSettings> {
  const { rows } = await poolOf(prisma).query<{ enabled: boolean; min_severity: string; targets: string[] }>(
    `SELECT enabled, min_severity, targets FROM auto_push_settings WHERE id = 1`,
  );
  const row = rows[0];
  if (!row) return { enabled: false, minSeverity: 'CRITICAL', targets: ['jira'] };
  return autoPushSettingsSchema.parse({ enabled: row.enabled, minSeverity: row.min_severity, targets: row.targets });
}

/** Saves the auto-push settings and, in the same transaction, who changed them from what (the audit trail). */
export async function writeAutoPush(prisma: PrismaClient, settings: AutoPushSettings, operator: Operator): Promise<AutoPushSettings> {
  return inTransaction(poolOf(prisma), async (client) => {
    const before = (await client.query<{ enabled: boolean; min_severity: string; targets: string[] }>(
      `SELECT enabled, min_severity, targets FROM auto_push_settings WHERE id = 1 FOR UPDATE`,
    )).rows[0];
    await client.query(
      `INSERT INTO auto_push_settings (id, enabled, min_severity, targets, updated_at) VALUES (1, $1, $2, $3::text[], now())
       ON CONFLICT (id) DO UPDATE SET enabled = EXCLUDED.enabled, min_severity = EXCLUDED.min_severity, targets = EXCLUDED.targets, updated_at = now()`,
      [settings.enabled, settings.minSeverity, settings.targets],
    );
    const from = before ? { enabled: before.enabled, minSeverity: before.min_severity, targets: before.targets } : null;
    await recordAudit(client, { operator, action: 'AUTO_PUSH_SAVED', details: { from, to: settings } });
    return settings;
  });
}
