import type { TargetSystem } from '@rhx/domain';
import type { z } from 'zod';
import type { AdapterOptions } from './adapter-options.js';
import { adapterProfile, type AdapterProfile } from './adapter-profile.js';
import type { TicketAdapter } from './ticket-adapter.js';
import { TicketError } from './ticket-error.js';
import { JiraAdapter } from './jira/jira.adapter.js';
import { jiraConfigSchema } from './jira/jira.config.js';
import { ServiceNowAdapter } from './servicenow/servicenow.adapter.js';
import { serviceNowConfigSchema } from './servicenow/servicenow.config.js';
import { ProactiveAdapter } from './proactive/proactive.adapter.js';
import { proactiveConfigSchema } from './proactive/proactive.config.js';
import { hostPolicyFor } from './target-url.js';

/** Builds one system's adapter from its stored settings (unvalidated) and the process options. */
export type AdapterFactory = (settings: unknown, options: AdapterOptions) => TicketAdapter;

/** Each adapter profile's settings schema (the Proactive Case API's serves `servicenow` in proactive mode). */
export const PROFILE_CONFIG_SCHEMAS = {
  jira: jiraConfigSchema,
  servicenow: serviceNowConfigSchema,
  proactive: proactiveConfigSchema,
} as const satisfies Record<AdapterProfile, z.ZodType>;

/** Each target system's settings schema in the standard mode; {@link adapterConfigSchema} knows the mode. */
export const ADAPTER_CONFIG_SCHEMAS = {
  jira: jiraConfigSchema,
  servicenow: serviceNowConfigSchema,
} as const satisfies Record<TargetSystem, z.ZodType>;

// A new target system or profile without a line here is a compile error.
const FACTORIES = {
  jira: (settings, options) => {
    const config = parseSettings('jira', settings);
    return new JiraAdapter(config, guarded('jira', config.baseUrl, options));
  },
  servicenow: (settings, options) => {
    const config = parseSettings('servicenow', settings);
    return new ServiceNowAdapter(config, guarded('servicenow', config.instanceUrl, options));
  },
  proactive: (settings, options) => {
    const config = parseSettings('proactive', settings);
    return new ProactiveAdapter(config, guarded('servicenow', config.baseUrl, options));
  },
} satisfies Record<AdapterProfile, AdapterFactory>;

/** The options with the host policy this URL connects under (none for the environment's own URL). */
function guarded(system: TargetSystem, url: string, options: AdapterOptions): AdapterOptions {
  const { hostPolicy: _all, ...rest } = options;
  const hostPolicy = hostPolicyFor(system, url, options);
  return hostPolicy ? { ...rest, hostPolicy } : rest;
}

/** The settings schema `system`'s adapter is built from under these options (the settings API validates with it). */
export function adapterConfigSchema(system: TargetSystem, options: Pick<AdapterOptions, 'ticketIntegration'>): z.ZodType {
  return PROFILE_CONFIG_SCHEMAS[adapterProfile(system, options)];
}

/**
 * The adapter for `system`, configured from `settings` (validated here with the schema of the profile
 * that serves it: in proactive mode `servicenow` is the Proactive Case API).
 * Its connections are checked against `options.hostPolicy` unless its URL is the environment's own
 * (`options.trustedBaseUrls`); a refused connection fails with a permanent `CONFIGURATION` error.
 * Invalid settings throw a permanent {@link TicketError} `CONFIGURATION` naming every problem
 * (field paths and rules only, never values, so no secret is echoed).
 */
export function createAdapter(system: TargetSystem, settings: unknown, options: AdapterOptions): TicketAdapter {
  const factory: AdapterFactory = FACTORIES[adapterProfile(system, options)];
  return factory(settings, options);
}

const PROFILE_NAMES: Record<AdapterProfile, string> = { jira: 'jira', servicenow: 'servicenow', proactive: 'servicenow (Proactive Case API)' };

function parseSettings<P extends AdapterProfile>(profile: P, settings: unknown): z.output<(typeof PROFILE_CONFIG_SCHEMAS)[P]> {
  const result = PROFILE_CONFIG_SCHEMAS[profile].safeParse(settings);
  if (result.success) return result.data as z.output<(typeof PROFILE_CONFIG_SCHEMAS)[P]>;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`);
  throw new TicketError({
    code: 'CONFIGURATION',
    retryable: false,
    message: `${PROFILE_NAMES[profile]} settings are invalid: ${problems.join('; ')}`,
  });
}
