import { z } from 'zod';
import { SYSTEMS, type SystemDescriptor } from '@rhx/adapters';
import { InvalidInputError, SETTINGS_PROFILES, TARGET_SYSTEMS, type FieldProblem, type Operator, type TargetSystem } from '@rhx/domain';
import { inTransaction, poolOf, recordAudit, type PrismaClient } from '@rhx/db';
import type pg from 'pg';
import type { Config } from '@rhx/config';
import { SecretBox } from './secret-box.js';
import { SettingsUnreadableError } from './settings-unreadable.error.js';
import { identityChangeProblems } from './identity-change.js';
import { SYSTEM_FIELDS, settingsProfile, type SettingsProfile, type SettingsValues, type TicketIntegration } from './system-fields.js';

export { SYSTEM_FIELDS, type SettingsValues } from './system-fields.js';

/** One system's settings as a single row holds them: never a mix of two writes. */
export interface StoredSettings {
  enabled: boolean;
  configured: boolean;
  values: SettingsValues;
}

/** Checks a settings change before it is written, on the merged result; problems refuse it. */
export type SettingsCheck = (next: { values: SettingsValues; enabled: boolean }, change: SettingsValues) => FieldProblem[];

type Row = { system: string; enabled: boolean; configured: boolean; config: unknown; secrets: string | null };
type Encoded = { enabled: boolean; configured: boolean; config: Record<string, string>; secrets: string | null };

// Every statement goes through the driver adapter's pg pool, not Prisma's query engine: its first query
// loads a WebAssembly query compiler, some 70 MB of RSS that every worker would carry for these few reads.
const ROW = `SELECT system, enabled, configured, config, secrets FROM integration_settings WHERE system = $1`;
const INSERT = `INSERT INTO integration_settings (system, enabled, configured, config, secrets, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, now())`;
const insertArgs = (system: string, d: Encoded) => [system, d.enabled, d.configured, JSON.stringify(d.config), d.secrets];

/** Status per system as the API shows it: never a secret. */
export interface IntegrationStatus {
  system: TargetSystem;
  configured: boolean;
  enabled: boolean;
  lastTest: { at: string; ok: boolean; message: string } | null;
  /** False while the remote refuses the credentials (401/403), with its reason, until a call succeeds. */
  health: { ok: boolean; message: string | null; since: string | null };
}

export function isConfigured(system: SettingsProfile, values: SettingsValues): boolean {
  const { required, requiredWhen } = SYSTEMS[system].settings as SystemDescriptor['settings'];
  return [...required, ...(requiredWhen?.(values) ?? [])].every((k) => values[k]);
}

/**
 * Initial values from the environment (CONTRACT §2), per profile: each descriptor's variables seed its
 * settings (`libs/config/system-env.ts`); a profile serving `servicenow` is enabled by `SNOW_ENABLED`.
 */
export function settingsFromEnv(config: Config): Record<SettingsProfile, { enabled: boolean; values: SettingsValues }> {
  const env = config as unknown as Readonly<Record<string, unknown>>;
  const seeded = (d: SystemDescriptor) => ({
    enabled: env[d.env.enabled] === true,
    values: Object.fromEntries(Object.entries(d.env.seeds).map(([field, variable]) => [field, env[variable] as string | undefined])),
  });
  return Object.fromEntries(SETTINGS_PROFILES.map((p) => [p, seeded(SYSTEMS[p])])) as Record<SettingsProfile, { enabled: boolean; values: SettingsValues }>;
}

const storedConfig = z.record(z.string(), z.string());

/**
 * Reads and writes integration settings; secrets are sealed with AES-256-GCM before they touch the
 * database. Every method takes a target system and works on the row of the profile that serves it in
 * this store's mode (`TICKET_INTEGRATION`): in proactive mode, `servicenow` is the `proactive` row.
 */
export class IntegrationSettingsStore {
  private readonly box: SecretBox | undefined;
  private readonly revisions = new Map<TargetSystem, number>();
  private readonly pool: pg.Pool;
  private mode: TicketIntegration;

  constructor(
    prisma: PrismaClient,
    encryptionKey: string | undefined,
    options: { ticketIntegration?: TicketIntegration } = {},
  ) {
    this.pool = poolOf(prisma);
    this.box = encryptionKey ? new SecretBox(encryptionKey) : undefined;
    this.mode = options.ticketIntegration ?? 'standard';
  }

  /** The mode the store serves `servicenow` in. */
  get ticketIntegration(): TicketIntegration {
    return this.mode;
  }

  /** The profile whose row holds `system`'s settings in this store's mode. */
  profileOf(system: TargetSystem): SettingsProfile {
    return settingsProfile(system, this.mode);
  }

  /**
   * Writes the environment's values for every profile that has no row yet (rows are owned by the API
   * afterwards), and serves from now on in the mode `config.TICKET_INTEGRATION` names: every process
   * seeds at start with the configuration it runs under.
   */
  async seed(config: Config): Promise<void> {
    this.mode = config.TICKET_INTEGRATION;
    for (const [profile, seed] of Object.entries(settingsFromEnv(config)) as [SettingsProfile, { enabled: boolean; values: SettingsValues }][]) {
      // Read first: a stored row's secrets need no key to be left alone, while encoding the seed would.
      const { rowCount } = await this.pool.query(`SELECT 1 FROM integration_settings WHERE system = $1`, [profile]);
      if (!rowCount) await this.pool.query(`${INSERT} ON CONFLICT (system) DO NOTHING`, insertArgs(profile, this.encode(profile, seed.values, seed.enabled)));
    }
  }

  /** The full settings, secrets decrypted, for building an adapter. Never return this from the API. */
  async read(system: TargetSystem): Promise<StoredSettings | null> {
    const { rows } = await this.pool.query<Row>(ROW, [this.profileOf(system)]);
    return rows[0] ? this.decode(rows[0]) : null;
  }

  /**
   * How many writes this instance has made to `system`: a reader in the same process compares it to
   * know at once that what it holds is stale. Other processes learn of a change by re-reading.
   */
  revision(system: TargetSystem): number {
    return this.revisions.get(system) ?? 0;
  }

  /**
   * Applies a change atomically: under a per-system lock, reads the row, merges the visible values
   * and the secrets that are given (a secret left out keeps its stored value), checks the merged result
   * (the identity rule of {@link identityChangeProblems}, then `check`) and writes it; `enabled`
   * undefined keeps the stored flag. Concurrent writes never interleave and a refused change writes nothing.
   * @throws InvalidInputError listing every problem; Error when a secret is given but no key is configured.
   */
  async write(
    system: TargetSystem,
    change: SettingsValues,
    enabled: boolean | undefined,
    options: { onlyIfAbsent?: boolean; check?: SettingsCheck; operator?: Operator } = {},
  ): Promise<void> {
    const profile = this.profileOf(system);
    if (options.onlyIfAbsent) {
      await this.pool.query(`${INSERT} ON CONFLICT (system) DO NOTHING`, insertArgs(profile, this.encode(profile, change, enabled ?? false)));
    } else {
      await inTransaction(this.pool, async (client) => {
        // A transaction-scoped advisory lock per system: held until commit, it also covers a row not yet there.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`rhx.integration-settings.${profile}`]);
        const row = (await client.query<Row>(ROW, [profile])).rows[0];
        const current = row ? this.currentValues(row) : {};
        const values: SettingsValues = { ...current, ...change };
        const next = { values, enabled: enabled ?? row?.enabled ?? false };
        const problems = [...identityChangeProblems(profile, current, change), ...(options.check?.(next, change) ?? [])];
        if (problems.length > 0) throw new InvalidInputError(`${system} settings`, problems);
        await client.query(
          `${INSERT} ON CONFLICT (system) DO UPDATE SET enabled = EXCLUDED.enabled, configured = EXCLUDED.configured, config = EXCLUDED.config,
             secrets = EXCLUDED.secrets, updated_at = now()`,
          insertArgs(profile, this.encode(profile, values, next.enabled)),
        );
        const changed = Object.keys(change).filter((k) => change[k] !== current[k]).sort();
        // The last test and the health spoke of the old values: untested until the next test or call says.
        if (row && changed.length > 0) {
          await client.query(
            `UPDATE integration_settings SET last_test_at = NULL, last_test_ok = NULL, last_test_message = NULL,
               health_changed_at = CASE WHEN healthy THEN health_changed_at ELSE now() END, healthy = true, health_message = NULL
             WHERE system = $1`,
            [profile],
          );
        }
        // Who changed what, committed with the change: setting names only, a secret's as much as any.
        if (options.operator) {
          if (row && next.enabled !== row.enabled) changed.unshift('enabled');
          await recordAudit(client, { operator: options.operator, action: 'SETTINGS_SAVED', target: system, details: { changed, ...(row ? {} : { created: true }) } });
        }
      });
    }
    this.revisions.set(system, this.revision(system) + 1);
  }

  async recordTest(system: TargetSystem, result: { ok: boolean; message: string }): Promise<void> {
    await this.pool.query(
      `UPDATE integration_settings SET last_test_at = now(), last_test_ok = $2, last_test_message = $3, updated_at = now() WHERE system = $1`,
      [this.profileOf(system), result.ok, result.message],
    );
  }

  async statuses(): Promise<IntegrationStatus[]> {
    const { rows } = await this.pool.query<{
      system: string; configured: boolean; enabled: boolean; last_test_at: Date | null; last_test_ok: boolean | null; last_test_message: string | null;
      healthy: boolean; health_message: string | null; health_changed_at: Date | null;
    }>(`SELECT system, configured, enabled, last_test_at, last_test_ok, last_test_message, healthy, health_message, health_changed_at FROM integration_settings`);
    const byProfile = new Map(rows.map((r) => [r.system, r]));
    return TARGET_SYSTEMS.map((system) => {
      const row = byProfile.get(this.profileOf(system));
      return {
        system,
        configured: row?.configured ?? false,
        enabled: row?.enabled ?? false,
        lastTest:
          row?.last_test_at && row.last_test_ok !== null
            ? { at: row.last_test_at.toISOString(), ok: row.last_test_ok, message: row.last_test_message ?? '' }
            : null,
        health: { ok: row?.healthy ?? true, message: row?.health_message ?? null, since: row?.health_changed_at?.toISOString() ?? null },
      };
    });
  }

  // Settings that can no longer be opened (a changed key) are replaced by what the write gives: the
  // secrets must be given again, which is what the unreadable-settings error asks the operator to do.
  private currentValues(row: Row): SettingsValues {
    try {
      return this.decode(row).values;
    } catch (err) {
      if (!(err instanceof SettingsUnreadableError)) throw err;
      const visible = storedConfig.safeParse(row.config);
      return visible.success ? visible.data : {};
    }
  }

  private decode(row: Row): StoredSettings {
    const config = storedConfig.safeParse(row.config);
    if (!config.success) throw new SettingsUnreadableError(row.system, 'the stored values are not a map of text');
    const values: SettingsValues = { ...config.data };
    if (row.secrets) {
      if (!this.box) throw new SettingsUnreadableError(row.system, 'SETTINGS_ENCRYPTION_KEY is not set, so the stored credentials cannot be opened');
      Object.assign(values, this.openSecrets(row.system, row.secrets));
    }
    return { enabled: row.enabled, configured: row.configured, values };
  }

  private openSecrets(system: string, sealed: string): SettingsValues {
    let plain: string;
    try {
      plain = this.box!.open(sealed);
    } catch {
      throw new SettingsUnreadableError(system, 'the stored credentials do not open with SETTINGS_ENCRYPTION_KEY (was the key changed?)');
    }
    const secrets = storedConfig.safeParse(jsonOrNull(plain));
    if (!secrets.success) throw new SettingsUnreadableError(system, 'the stored credentials are not a map of text');
    return secrets.data;
  }

  private encode(system: SettingsProfile, values: SettingsValues, enabled: boolean): Encoded {
    const pick = (keys: readonly string[]) =>
      Object.fromEntries(keys.filter((k) => values[k] !== undefined && values[k] !== '').map((k) => [k, values[k] as string]));
    const secrets = pick(SYSTEM_FIELDS[system].secret);
    const hasSecrets = Object.keys(secrets).length > 0;
    if (hasSecrets && !this.box) throw new Error('SETTINGS_ENCRYPTION_KEY is not set; credentials cannot be stored');
    return {
      enabled,
      configured: isConfigured(system, values),
      config: pick(SYSTEM_FIELDS[system].visible),
      secrets: hasSecrets && this.box ? this.box.seal(JSON.stringify(secrets)) : null,
    };
  }
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
