import { z } from 'zod';
import type { TargetSystem } from '@rhx/domain';
import type { PrismaClient } from '@rhx/db';
import type { Config } from '@rhx/config';
import { SecretBox } from './secret-box.js';

/**
 * What each target system's settings hold, split into what may be shown and what is write-only.
 * The adapters' own config schemas validate the merged result before use.
 */
export const SYSTEM_FIELDS = {
  jira: {
    visible: ['baseUrl', 'deployment', 'email', 'projectKey', 'issueType'],
    secret: ['apiToken'],
    required: ['baseUrl', 'projectKey', 'apiToken'],
  },
  servicenow: {
    visible: ['instanceUrl', 'username', 'assignmentGroup'],
    secret: ['password'],
    required: ['instanceUrl', 'username', 'password'],
  },
} as const satisfies Record<TargetSystem, { visible: readonly string[]; secret: readonly string[]; required: readonly string[] }>;

export type SettingsValues = Record<string, string | undefined>;

/** Status per system as the API shows it: never a secret. */
export interface IntegrationStatus {
  system: TargetSystem;
  configured: boolean;
  enabled: boolean;
  lastTest: { at: string; ok: boolean; message: string } | null;
}

export function isConfigured(system: TargetSystem, values: SettingsValues): boolean {
  const required: readonly string[] = SYSTEM_FIELDS[system].required;
  if (!required.every((k) => values[k])) return false;
  return system !== 'jira' || values.deployment === 'server' || Boolean(values.email);
}

/** Initial values from the environment (CONTRACT §2). */
export function settingsFromEnv(config: Config): Record<TargetSystem, { enabled: boolean; values: SettingsValues }> {
  return {
    jira: {
      enabled: config.JIRA_ENABLED,
      values: {
        baseUrl: config.JIRA_URL,
        deployment: config.JIRA_DEPLOYMENT,
        email: config.JIRA_EMAIL,
        projectKey: config.JIRA_PROJECT_KEY,
        issueType: config.JIRA_ISSUE_TYPE,
        apiToken: config.JIRA_API_TOKEN,
      },
    },
    servicenow: {
      enabled: config.SNOW_ENABLED,
      values: {
        instanceUrl: config.SNOW_INSTANCE,
        username: config.SNOW_USERNAME,
        assignmentGroup: config.SNOW_ASSIGNMENT_GROUP,
        password: config.SNOW_PASSWORD,
      },
    },
  };
}

const storedConfig = z.record(z.string(), z.string());

/** Reads and writes integration settings; secrets are sealed with AES-256-GCM before they touch the database. */
export class IntegrationSettingsStore {
  private readonly box: SecretBox | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    encryptionKey: string | undefined,
  ) {
    this.box = encryptionKey ? new SecretBox(encryptionKey) : undefined;
  }

  /** Writes the environment's values for every system that has no row yet; rows are owned by the API afterwards. */
  async seed(config: Config): Promise<void> {
    for (const [system, seed] of Object.entries(settingsFromEnv(config)) as [TargetSystem, { enabled: boolean; values: SettingsValues }][]) {
      const exists = await this.prisma.integrationSettings.findUnique({ where: { system }, select: { system: true } });
      if (!exists) await this.write(system, seed.values, seed.enabled, { onlyIfAbsent: true });
    }
  }

  /** The full settings, secrets decrypted, for building an adapter. Never return this from the API. */
  async read(system: TargetSystem): Promise<{ enabled: boolean; configured: boolean; values: SettingsValues } | null> {
    const row = await this.prisma.integrationSettings.findUnique({ where: { system } });
    if (!row) return null;
    const values: SettingsValues = { ...storedConfig.parse(row.config) };
    if (row.secrets) {
      if (!this.box) throw new Error('SETTINGS_ENCRYPTION_KEY is not set, so stored credentials cannot be read');
      Object.assign(values, storedConfig.parse(JSON.parse(this.box.open(row.secrets))));
    }
    return { enabled: row.enabled, configured: row.configured, values };
  }

  /**
   * Replaces the visible values and the secrets that are given (a secret left out keeps its stored value).
   * @throws Error when a secret is given but no encryption key is configured.
   */
  async write(system: TargetSystem, values: SettingsValues, enabled: boolean, options: { onlyIfAbsent?: boolean } = {}): Promise<void> {
    const current = options.onlyIfAbsent ? null : await this.read(system);
    const merged: SettingsValues = { ...(current?.values ?? {}), ...values };
    const pick = (keys: readonly string[]) =>
      Object.fromEntries(keys.filter((k) => merged[k] !== undefined && merged[k] !== '').map((k) => [k, merged[k] as string]));
    const visible = pick(SYSTEM_FIELDS[system].visible);
    const secrets = pick(SYSTEM_FIELDS[system].secret);
    const hasSecrets = Object.keys(secrets).length > 0;
    if (hasSecrets && !this.box) throw new Error('SETTINGS_ENCRYPTION_KEY is not set; credentials cannot be stored');
    const data = {
      enabled,
      configured: isConfigured(system, merged),
      config: visible,
      secrets: hasSecrets && this.box ? this.box.seal(JSON.stringify(secrets)) : null,
    };
    if (options.onlyIfAbsent) {
      await this.prisma.integrationSettings.createMany({ data: [{ system, ...data }], skipDuplicates: true });
    } else {
      await this.prisma.integrationSettings.upsert({ where: { system }, create: { system, ...data }, update: data });
    }
  }

  async recordTest(system: TargetSystem, result: { ok: boolean; message: string }): Promise<void> {
    await this.prisma.integrationSettings.update({
      where: { system },
      data: { lastTestAt: new Date(), lastTestOk: result.ok, lastTestMessage: result.message },
    });
  }

  async statuses(): Promise<IntegrationStatus[]> {
    const rows = await this.prisma.integrationSettings.findMany({ orderBy: { system: 'asc' } });
    const bySystem = new Map(rows.map((r) => [r.system, r]));
    return (Object.keys(SYSTEM_FIELDS) as TargetSystem[]).map((system) => {
      const row = bySystem.get(system);
      return {
        system,
        configured: row?.configured ?? false,
        enabled: row?.enabled ?? false,
        lastTest:
          row?.lastTestAt && row.lastTestOk !== null
            ? { at: row.lastTestAt.toISOString(), ok: row.lastTestOk, message: row.lastTestMessage ?? '' }
            : null,
      };
    });
  }
}
