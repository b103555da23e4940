import { z } from 'zod';
import { adapterConfigSchema, createAdapter, NETWORK_PEM, networkProblems, SYSTEMS, TicketError, targetUrlProblems, type AdapterOptions, type FieldCheck, type SystemDescriptor } from '@rhx/adapters';
import { fieldProblems, InvalidInputError, type FieldProblem, type Operator, type TargetSystem } from '@rhx/domain';
import { poolOf, recordAudit, type PrismaClient } from '@rhx/db';
import { credentialWarnings, IntegrationHealth, SYSTEM_FIELDS, profilesServing, identityChangeProblems, parseIntegrationBody, type IntegrationSettingsStore, type IntegrationStatus, type SettingsCheck, type SettingsProfile, type TicketIntegration } from '@rhx/settings';
import type { AdapterProvider } from './adapter-provider.js';

/** A system's status with its visible settings; secrets only as the names of those that are set. */
export type IntegrationDescription = IntegrationStatus & {
  ticketIntegration?: TicketIntegration;
  settings: Record<string, unknown>;
  secretsSet: string[];
  /** What will soon stop the integration (an API token about to expire), for the operator. */
  warnings: string[];
  /** After a change: the field rules' problems against the remote (CONTRACT §3); saved all the same. */
  problems?: FieldCheck['problems'];
};

/** A connection test's outcome as the operator sees it: the remote's reason, and how long it took. */
export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  latencyMs: number;
  /** The field rules' problems, in the remote's names; `ok` is false while there is one. */
  problems: FieldCheck['problems'];
}

/** A secret was given but `SETTINGS_ENCRYPTION_KEY` is not set, so it cannot be stored. */
export class EncryptionKeyMissingError extends Error {
  constructor() {
    super('SETTINGS_ENCRYPTION_KEY is not set, so credentials cannot be stored');
    this.name = 'EncryptionKeyMissingError';
  }
}

export interface IntegrationAdminDeps {
  prisma: PrismaClient;
  integrations: IntegrationSettingsStore;
  adapters: AdapterProvider;
  encryptionKeySet: boolean;
}

/**
 * What an administrator does to an integration, whichever door they come through (`/v1/integrations`
 * or the console): read its status and settings, change them, test the connection. Secrets go in and
 * never come out.
 */
export class IntegrationAdmin {
  // A connection test is a call like any other: its outcome is the integration's health now.
  private readonly health: IntegrationHealth;

  constructor(private readonly deps: IntegrationAdminDeps) {
    this.health = new IntegrationHealth(deps.prisma, 0);
  }

  /** The settings profile serving `system` in this mode, with its fields (what the console's form shows). */
  fieldsOf(system: TargetSystem): {
    profile: SettingsProfile; visible: readonly string[]; secret: readonly string[]; json: readonly string[]; pem: readonly string[];
    choices: NonNullable<SystemDescriptor['settings']['choices']>; title: SystemDescriptor['title'];
  } {
    const profile = this.deps.integrations.profileOf(system);
    const { settings, title } = SYSTEMS[profile] as SystemDescriptor;
    return { profile, visible: settings.visible, secret: settings.secret, json: settings.json, pem: NETWORK_PEM, choices: settings.choices ?? {}, title };
  }

  statuses(): Promise<IntegrationStatus[]> {
    return this.deps.integrations.statuses();
  }

  async describe(system: TargetSystem): Promise<IntegrationDescription> {
    const { integrations } = this.deps;
    const fields = SYSTEM_FIELDS[integrations.profileOf(system)];
    const status = (await integrations.statuses()).find((s) => s.system === system)!;
    const stored = await integrations.read(system);
    const json: readonly string[] = SYSTEMS[integrations.profileOf(system)].settings.json;
    const shown = (k: string) => (json.includes(k) ? JSON.parse(stored!.values[k]!) as unknown : stored!.values[k]);
    const visible = Object.fromEntries(fields.visible.filter((k) => stored?.values[k]).map((k) => [k, shown(k)]));
    const secretsSet = fields.secret.filter((k) => stored?.values[k]);
    // A system more than one API can serve says which one does.
    const mode = profilesServing(system).length > 1 ? { ticketIntegration: integrations.ticketIntegration } : {};
    const warnings = credentialWarnings(integrations.profileOf(system), stored?.values ?? {}, new Date());
    return { ...status, ...mode, settings: visible, secretsSet, warnings };
  }

  /**
   * Applies a settings change given as the API's body (any subset of the profile's fields, plus `enabled`).
   * @throws InvalidInputError naming every bad or unknown field; EncryptionKeyMissingError.
   */
  async update(system: TargetSystem, body: unknown, operator: Operator): Promise<IntegrationDescription> {
    const profile = this.deps.integrations.profileOf(system);
    const { enabled, ...parsed } = await this.parse(system, profile, body);
    // Settings hold text: JSON settings (field rules, lifecycle) are stored as their JSON.
    const values = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === undefined || typeof v === 'string' ? v : JSON.stringify(v)]));
    if (!this.deps.encryptionKeySet && SYSTEM_FIELDS[profile].secret.some((k) => k in values)) throw new EncryptionKeyMissingError();
    // Checked inside the store's locked write, on exactly what will be written.
    await this.deps.integrations.write(system, values, enabled, { check: settingsCheck(system, this.deps.adapters.options), operator });
    const described = await this.describe(system);
    if (!('fields' in parsed)) return described;
    return { ...described, problems: (await this.checkFields(system)).problems };
  }

  /**
   * The stored field rules checked against the remote (its create metadata or dictionary). A remote that
   * cannot be asked is itself the problem, named on `fields`: the rules are stored either way.
   */
  async checkFields(system: TargetSystem): Promise<FieldCheck> {
    try {
      const target = await this.deps.adapters.forSystem(system, { ignoreEnabled: true });
      if (!target.ready || !target.adapter.checkFields) return { problems: [] };
      return await target.adapter.checkFields();
    } catch (err) {
      if (!(err instanceof TicketError)) throw err;
      return { problems: [{ field: 'fields', message: `could not be checked: ${err.message}` }] };
    }
  }

  /**
   * The body read with the schemas the OpenAPI document is made from (`INTEGRATION_BODY_SCHEMAS` of
   * `@rhx/settings`: a NUL or unpaired surrogate in any setting, secret or not, a project key Jira cannot
   * have, a URL that is no base URL). A refused change lists every problem at once, the one that depends
   * on what is stored too (a secret needed again for a new URL or identity), as the store's check would.
   */
  private async parse(system: TargetSystem, profile: SettingsProfile, body: unknown): Promise<{ enabled?: boolean } & Record<string, string | undefined>> {
    try {
      return parseIntegrationBody(system, profile, body) as { enabled?: boolean } & Record<string, string | undefined>;
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      throw new InvalidInputError(`${system} settings`, [...(await this.storedStateProblems(profile, system, body)), ...err.problems]);
    }
  }

  private async storedStateProblems(profile: SettingsProfile, system: TargetSystem, body: unknown): Promise<FieldProblem[]> {
    if (body === null || typeof body !== 'object') return [];
    const change = Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v.trim()]] : [])));
    const stored = await this.deps.integrations.read(system).catch(() => null);
    return identityChangeProblems(profile, stored?.values ?? {}, change);
  }

  /**
   * Tests the stored settings (enabled or not) and records the outcome as the last test and as health; or,
   * given `typed` (a settings body, as for `update`), tests those values over the stored ones without saving
   * or recording them. A typed URL or account is tested only with its secret typed too (a stored secret
   * never goes somewhere new), on a host `INTEGRATION_ALLOWED_HOSTS` allows. Who asked is audited either way.
   * @throws InvalidInputError naming each bad or unsafe typed setting (nothing is sent then).
   */
  async testConnection(system: TargetSystem, operator: Operator, typed?: unknown): Promise<ConnectionTestResult> {
    const started = performance.now();
    const adapter = typed === undefined ? undefined : await this.typedAdapter(system, typed);
    let result: { ok: boolean; message: string };
    let check: FieldCheck = { problems: [] };
    try {
      const target = adapter ? { ready: true as const, adapter } : await this.deps.adapters.forSystem(system, { ignoreEnabled: true });
      if (!target.ready) throw new TicketError({ code: 'CONFIGURATION', retryable: false, message: target.message });
      const connected = (await target.adapter.testConnection()).message;
      if (!adapter) await this.health.succeeded(system);
      check = (await target.adapter.checkFields?.()) ?? check;
      const found = check.problems.length ? `; field rules: ${check.problems.length} problem(s): ${check.problems.map((p) => p.message).join('; ')}` : '';
      result = { ok: check.problems.length === 0, message: `${connected}${found}${check.unchecked ? `; not checked: ${check.unchecked}` : ''}` };
    } catch (err) {
      if (!(err instanceof TicketError)) throw err;
      result = { ok: false, message: err.message };
      if (!adapter) await this.health.failed(system, err.code, err.message);
    }
    const latencyMs = Math.round(performance.now() - started);
    if (!adapter && (await this.deps.integrations.read(system))) await this.deps.integrations.recordTest(system, result);
    await recordAudit(poolOf(this.deps.prisma), {
      operator, action: 'CONNECTION_TESTED', target: system, details: { ok: result.ok, latencyMs, problems: check.problems.length, ...(adapter ? { typed: true } : {}) },
    });
    return { ...result, latencyMs, problems: check.problems };
  }

  /** An adapter on typed settings over the stored ones, checked as a save would check them; nothing is stored. */
  private async typedAdapter(system: TargetSystem, body: unknown) {
    const profile = this.deps.integrations.profileOf(system);
    const { enabled: _enabled, ...parsed } = await this.parse(system, profile, body);
    const change = Object.fromEntries(Object.entries(parsed).flatMap(([k, v]) => (v === undefined ? [] : [[k, typeof v === 'string' ? v : JSON.stringify(v)]])));
    const current = (await this.deps.integrations.read(system).catch(() => null))?.values ?? {};
    const values = { ...current, ...change };
    const problems = [...identityChangeProblems(profile, current, change), ...settingsCheck(system, this.deps.adapters.options)({ values, enabled: true }, change)];
    if (problems.length > 0) throw new InvalidInputError(`${system} settings`, problems);
    return createAdapter(system, values, this.deps.adapters.options);
  }
}

/**
 * What a settings change must pass: its URL a plain base URL on a host `INTEGRATION_ALLOWED_HOSTS`
 * allows (whether or not the system is enabled: a connection test uses it either way), and an enabled
 * system's merged settings valid for the adapter that serves it in this mode.
 */
function settingsCheck(system: TargetSystem, options: AdapterOptions): SettingsCheck {
  return (next, change) => {
    const problems: FieldProblem[] = [...targetUrlProblems(system, change, options), ...networkProblems(next.values, options)];
    if (next.enabled) {
      const result = adapterConfigSchema(system, options).safeParse(next.values);
      if (!result.success) problems.push(...fieldProblems(result.error).filter((p) => !problems.some((q) => q.path === p.path)));
    }
    return problems;
  };
}
