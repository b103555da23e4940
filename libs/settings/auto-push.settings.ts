import { z } from 'zod';
import { riskLevelSchema, targetSystemSchema } from '@rhx/domain';
import type { PrismaClient } from '@rhx/db';
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

/** The row is seeded from AUTO_PUSH_* the first time and then owned by the API. */
export async function seedAutoPush(prisma: PrismaClient, config: Config): Promise<void> {
  // ON CONFLICT DO NOTHING, not Prisma's upsert (a read, then an insert): processes starting at the same
  // moment (a fleet, two workers) would otherwise both insert, and one would die of the unique key.
  await prisma.autoPushSettings.createMany({
    data: [{ id: 1, enabled: config.AUTO_PUSH_ENABLED, minSeverity: config.AUTO_PUSH_MIN_SEVERITY, targets: [...config.AUTO_PUSH_TARGETS] }],
    skipDuplicates: true,
  });
}

export async function readAutoPush(prisma: PrismaClient): Promise<AutoPushSettings> {
  const row = await prisma.autoPushSettings.findUnique({ where: { id: 1 } });
  if (!row) return { enabled: false, minSeverity: 'CRITICAL', targets: ['jira'] };
  return autoPushSettingsSchema.parse({ enabled: row.enabled, minSeverity: row.minSeverity, targets: row.targets });
}

export async function writeAutoPush(prisma: PrismaClient, settings: AutoPushSettings): Promise<AutoPushSettings> {
  const data = { enabled: settings.enabled, minSeverity: settings.minSeverity, targets: settings.targets };
  await prisma.autoPushSettings.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
  return settings;
}
