import type { TargetSystem } from '@rhx/domain';
import type { z } from 'zod';
import type { AdapterOptions } from './adapter-options.js';
import type { TicketAdapter } from './ticket-adapter.js';
import { TicketError } from './ticket-error.js';
import { JiraAdapter } from './jira/jira.adapter.js';
import { jiraConfigSchema } from './jira/jira.config.js';
import { ServiceNowAdapter } from './servicenow/servicenow.adapter.js';
import { serviceNowConfigSchema } from './servicenow/servicenow.config.js';
import { hostPolicyFor } from './target-url.js';

/** Builds one system's adapter from its stored settings (unvalidated) and the process options. */
export type AdapterFactory = (settings: unknown, options: AdapterOptions) => TicketAdapter;

/** Each target system's settings schema; the settings API validates with these. */
export const ADAPTER_CONFIG_SCHEMAS = {
  jira: jiraConfigSchema,
  servicenow: serviceNowConfigSchema,
} as const satisfies Record<TargetSystem, z.ZodType>;

// A new target system without a line here is a compile error.
const FACTORIES = {
  jira: (settings, options) => {
    const config = parseSettings('jira', settings);
    return new JiraAdapter(config, guarded('jira', config.baseUrl, options));
  },
  servicenow: (settings, options) => {
    const config = parseSettings('servicenow', settings);
    return new ServiceNowAdapter(config, guarded('servicenow', config.instanceUrl, options));
  },
} satisfies Record<TargetSystem, AdapterFactory>;

/** The options with the host policy this URL connects under (none for the environment's own URL). */
function guarded(system: TargetSystem, url: string, options: AdapterOptions): AdapterOptions {
  const { hostPolicy: _all, ...rest } = options;
  const hostPolicy = hostPolicyFor(system, url, options);
  return hostPolicy ? { ...rest, hostPolicy } : rest;
}

/**
 * The adapter for `system`, configured from `settings` (validated here with the system's schema).
 * Its connections are checked against `options.hostPolicy` unless its URL is the environment's own
 * (`options.trustedBaseUrls`); a refused connection fails with a permanent `CONFIGURATION` error.
 * Invalid settings throw a permanent {@link TicketError} `CONFIGURATION` naming every problem
 * (field paths and rules only, never values, so no secret is echoed).
 */
export function createAdapter(system: TargetSystem, settings: unknown, options: AdapterOptions): TicketAdapter {
  const factory: AdapterFactory = FACTORIES[system];
  return factory(settings, options);
}

function parseSettings<S extends TargetSystem>(system: S, settings: unknown): z.output<(typeof ADAPTER_CONFIG_SCHEMAS)[S]> {
  const result = ADAPTER_CONFIG_SCHEMAS[system].safeParse(settings);
  if (result.success) return result.data as z.output<(typeof ADAPTER_CONFIG_SCHEMAS)[S]>;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`);
  throw new TicketError({
    code: 'CONFIGURATION',
    retryable: false,
    message: `${system} settings are invalid: ${problems.join('; ')}`,
  });
}
