import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { adapterConfigSchema, TicketError, targetUrlProblems, type AdapterOptions } from '@rhx/adapters';
import { fieldProblems, InvalidInputError, type FieldProblem, type TargetSystem } from '@rhx/domain';
import { IntegrationHealth, SYSTEM_FIELDS, type SettingsCheck, type SettingsProfile } from '@rhx/settings';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../deps.js';
import { INTEGRATION_BODY_SCHEMAS, systemParams } from './integrations.api.js';

type SystemParams = { Params: { system: string } };

function systemOf(raw: string): TargetSystem {
  const parsed = systemParams.shape.system.safeParse(raw);
  if (!parsed.success) throw new ApiError(404, 'UNKNOWN_SYSTEM', `unknown target system "${raw}"; systems are jira, servicenow`);
  return parsed.data;
}

/** The body as the profile's schema reads it; an unknown key is named as its own field, with the fields there are. */
function parseBody(system: TargetSystem, profile: SettingsProfile, body: unknown) {
  const result = INTEGRATION_BODY_SCHEMAS[profile].safeParse(body);
  if (result.success) return result.data as { enabled?: boolean } & Record<string, string | undefined>;
  const fields = Object.keys(INTEGRATION_BODY_SCHEMAS[profile].shape).join(', ');
  const api = profile === 'proactive' ? ' of the Proactive Case API (TICKET_INTEGRATION=proactive)' : '';
  const problems = result.error.issues.flatMap((issue): FieldProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: `is not a ${system} setting${api}; the settings are ${fields}` }))
      : fieldProblems(new z.ZodError([issue])),
  );
  throw new InvalidInputError(`${system} settings`, problems);
}

/** Status plus the visible settings; secrets only as names of what is set. */
async function describe(deps: ApiDeps, system: TargetSystem) {
  const fields = SYSTEM_FIELDS[deps.integrations.profileOf(system)];
  const status = (await deps.integrations.statuses()).find((s) => s.system === system)!;
  const stored = await deps.integrations.read(system);
  const visible = Object.fromEntries(fields.visible.filter((k) => stored?.values[k]).map((k) => [k, stored!.values[k]]));
  const secretsSet = fields.secret.filter((k) => stored?.values[k]);
  const mode = system === 'servicenow' ? { ticketIntegration: deps.integrations.ticketIntegration } : {};
  return { ...status, ...mode, settings: visible, secretsSet };
}

/**
 * What a settings change must pass: its URL a plain base URL on a host `INTEGRATION_ALLOWED_HOSTS`
 * allows (whether or not the system is enabled: a connection test uses it either way), and an enabled
 * system's merged settings valid for the adapter that serves it in this mode.
 */
function settingsCheck(system: TargetSystem, options: AdapterOptions): SettingsCheck {
  return (next, change) => {
    const problems: FieldProblem[] = targetUrlProblems(system, change, options);
    if (next.enabled) {
      const result = adapterConfigSchema(system, options).safeParse(next.values);
      if (!result.success) problems.push(...fieldProblems(result.error).filter((p) => !problems.some((q) => q.path === p.path)));
    }
    return problems;
  };
}

// `/v1/integrations/:system` is the contract's path; `/v1/settings/integrations/:system` names the same resource.
const PREFIXES = ['/v1/integrations', '/v1/settings/integrations'] as const;

export function integrationRoutes(app: FastifyInstance, deps: ApiDeps, testConnection: (system: TargetSystem) => Promise<{ message: string }>): void {
  app.get('/v1/integrations', async () => deps.integrations.statuses());

  // A connection test is a call like any other: its outcome is the integration's health now.
  const health = new IntegrationHealth(deps.prisma, 0);
  for (const prefix of PREFIXES) {
    app.get<SystemParams>(`${prefix}/:system`, async (request) => describe(deps, systemOf(request.params.system)));

    app.put<SystemParams>(`${prefix}/:system`, async (request) => {
      const system = systemOf(request.params.system);
      const profile = deps.integrations.profileOf(system);
      const { enabled, ...values } = parseBody(system, profile, request.body);
      if (!deps.config.SETTINGS_ENCRYPTION_KEY && SYSTEM_FIELDS[profile].secret.some((k) => k in values)) {
        throw new ApiError(409, 'ENCRYPTION_KEY_MISSING', 'SETTINGS_ENCRYPTION_KEY is not set, so credentials cannot be stored');
      }
      // Checked inside the store's locked write, on exactly what will be written.
      await deps.integrations.write(system, values, enabled, { check: settingsCheck(system, deps.adapters.options) });
      return describe(deps, system);
    });

    app.post<SystemParams>(`${prefix}/:system/test`, async (request) => {
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
}
