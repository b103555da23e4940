import type { SettingsProfile, TargetSystem } from '@rhx/domain';
import type { z } from 'zod';
import type { AdapterOptions } from './adapter-options.js';
import type { TicketAdapter } from './ticket-adapter.js';
import { TicketError } from './ticket-error.js';
import { SYSTEMS, profileOf } from './systems.js';
import { hostPolicyFor } from './target-url.js';
import { withNetworkSettings } from './network-settings.js';

/** The options with the host policy this URL connects under (none for the environment's own URL). */
function guarded(system: TargetSystem, url: string, options: AdapterOptions): AdapterOptions {
  const { hostPolicy: _all, ...rest } = options;
  const hostPolicy = hostPolicyFor(system, url, options);
  return hostPolicy ? { ...rest, hostPolicy } : rest;
}

/** The settings schema `system`'s adapter is built from under these options (the settings API validates with it). */
export function adapterConfigSchema(system: TargetSystem, options: Pick<AdapterOptions, 'ticketIntegration'>): z.ZodType {
  return SYSTEMS[profileOf(system, options.ticketIntegration)].configSchema;
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
  const profile = profileOf(system, options.ticketIntegration);
  const descriptor = SYSTEMS[profile];
  const config = parseSettings(profile, settings) as Record<string, unknown>;
  const url = config[descriptor.url.field] as string;
  const network = withNetworkSettings(system, (settings ?? {}) as Record<string, unknown>, options);
  return (descriptor.createAdapter as (config: unknown, options: AdapterOptions) => TicketAdapter)(config, guarded(system, url, network));
}

function parseSettings(profile: SettingsProfile, settings: unknown): unknown {
  const descriptor = SYSTEMS[profile];
  const result = descriptor.configSchema.safeParse(settings);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`);
  const name = descriptor.serves === profile ? profile : `${descriptor.serves} (${descriptor.label})`;
  throw new TicketError({ code: 'CONFIGURATION', retryable: false, message: `${name} settings are invalid: ${problems.join('; ')}` });
}
