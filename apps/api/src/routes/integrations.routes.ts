import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADAPTER_CONFIG_SCHEMAS, TicketError, targetUrlProblems, type AdapterOptions } from '@rhx/adapters';
import { fieldProblems, parseOrThrow, targetSystemSchema, type FieldProblem, type TargetSystem } from '@rhx/domain';
import { IntegrationHealth, SYSTEM_FIELDS, type SettingsCheck } from '@rhx/settings';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../deps.js';

type SystemParams = { Params: { system: string } };

const text = z.string().trim().min(1).optional();
/** What PUT takes per system: any subset of its fields, plus `enabled`. Secrets are write-only. */
const BODY_SCHEMAS = {
  jira: z.strictObject({
    enabled: z.boolean().optional(),
    baseUrl: text, deployment: z.enum(['cloud', 'server']).optional(), email: text, apiToken: text, projectKey: text, issueType: text,
  }),
  servicenow: z.strictObject({
    enabled: z.boolean().optional(),
    instanceUrl: text, username: text, password: text, assignmentGroup: text,
  }),
} as const satisfies Record<TargetSystem, z.ZodType>;

function systemOf(raw: string): TargetSystem {
  const parsed = targetSystemSchema.safeParse(raw);
  if (!parsed.success) throw new ApiError(404, 'UNKNOWN_SYSTEM', `unknown target system "${raw}"; systems are jira, servicenow`);
  return parsed.data;
}

/** Status plus the visible settings; secrets only as names of what is set. */
async function describe(deps: ApiDeps, system: TargetSystem) {
  const status = (await deps.integrations.statuses()).find((s) => s.system === system)!;
  const stored = await deps.integrations.read(system);
  const visible = Object.fromEntries(SYSTEM_FIELDS[system].visible.filter((k) => stored?.values[k]).map((k) => [k, stored!.values[k]]));
  const secretsSet = SYSTEM_FIELDS[system].secret.filter((k) => stored?.values[k]);
  return { ...status, settings: visible, secretsSet };
}

/**
 * What a settings change must pass: its URL a plain base URL on a host `INTEGRATION_ALLOWED_HOSTS`
 * allows (whether or not the system is enabled: a connection test uses it either way), and an enabled
 * system's merged settings valid for its adapter.
 */
function settingsCheck(system: TargetSystem, options: AdapterOptions): SettingsCheck {
  return (next, change) => {
    const problems: FieldProblem[] = targetUrlProblems(system, change, options);
    if (next.enabled) {
      const result = ADAPTER_CONFIG_SCHEMAS[system].safeParse(next.values);
      if (!result.success) problems.push(...fieldProblems(result.error).filter((p) => !problems.some((q) => q.path === p.path)));
    }
    return problems;
  };
}

export function integrationRoutes(app: FastifyInstance, deps: ApiDeps, testConnection: (system: TargetSystem) => Promise<{ message: string }>): void {
  app.get('/v1/integrations', async () => deps.integrations.statuses());

  app.put<SystemParams>('/v1/integrations/:system', async (request) => {
    const system = systemOf(request.params.system);
    const { enabled, ...values } = parseOrThrow(BODY_SCHEMAS[system], request.body, `${system} settings`);
    if (!deps.config.SETTINGS_ENCRYPTION_KEY && SYSTEM_FIELDS[system].secret.some((k) => k in values)) {
      throw new ApiError(409, 'ENCRYPTION_KEY_MISSING', 'SETTINGS_ENCRYPTION_KEY is not set, so credentials cannot be stored');
    }
    // Checked inside the store's locked write, on exactly what will be written.
    await deps.integrations.write(system, values, enabled, { check: settingsCheck(system, deps.adapters.options) });
    return describe(deps, system);
  });

  // A connection test is a call like any other: its outcome is the integration's health now.
  const health = new IntegrationHealth(deps.prisma, 0);
  app.post<SystemParams>('/v1/integrations/:system/test', async (request) => {
    const system = systemOf(request.params.system);
    const started = performance.now();
    let result: { ok: boolean; message: string };
    try {
      result = { ok: true, message: (await testConnection(system)).message };
      await health.succeeded(system);
    } catch (err) {
      if (!(err instanceof TicketError)) throw err;
      result = { ok: false, message: err.message };
      await health.failed(system, err.code, err.message);
    }
    const latencyMs = Math.round(performance.now() - started);
    if (await deps.integrations.read(system)) await deps.integrations.recordTest(system, result);
    return { ...result, latencyMs };
  });
}
