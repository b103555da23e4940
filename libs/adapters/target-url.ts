import type { FieldProblem, SettingsProfile, TargetSystem } from '@rhx/domain';
import type { AdapterOptions } from './adapter-options.js';
import type { HostPolicy } from './http/host-policy.js';
import { SYSTEMS, profileOf } from './systems.js';
import type { SystemDescriptor } from './system-descriptor.js';

function normalised(profile: SettingsProfile, value: string | undefined): string | undefined {
  const parsed = SYSTEMS[profile].url.schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The host policy an adapter for `url` must connect under: none when `url` is the environment's own
 * base URL for the system (the operator set it, so it is trusted; in proactive mode the `servicenow`
 * one is `PROACTIVE_SNOW_BASE_URL`), the process policy otherwise.
 */
export function hostPolicyFor(system: TargetSystem, url: string, options: AdapterOptions): HostPolicy | undefined {
  if (!options.hostPolicy) return undefined;
  const profile = profileOf(system, options.ticketIntegration);
  const trusted = normalised(profile, options.trustedBaseUrls?.[system]);
  return trusted !== undefined && trusted === normalised(profile, url) ? undefined : options.hostPolicy;
}

/**
 * Problems with the system URL among `values` (a settings change), each naming its field: not a
 * plain http(s) base URL, or a host the policy refuses before any connection (an address literal or a
 * `localhost` name that is neither public nor listed). Empty when the URL is not among `values`.
 */
export function targetUrlProblems(system: TargetSystem, values: Readonly<Record<string, unknown>>, options: AdapterOptions): FieldProblem[] {
  const { field, schema, others = [] }: SystemDescriptor['url'] = SYSTEMS[profileOf(system, options.ticketIntegration)].url;
  return [field, ...others].flatMap((name): FieldProblem[] => {
    if (values[name] === undefined) return [];
    const parsed = schema.safeParse(values[name]);
    if (!parsed.success) return parsed.error.issues.map((i) => ({ path: name, message: i.message }));
    // Every URL set through the API meets the same rule, the token endpoint and gateway as much as the site.
    const refusal = (name === field ? hostPolicyFor(system, parsed.data, options) : options.hostPolicy)?.refusalOf(new URL(parsed.data));
    return refusal ? [{ path: name, message: refusal }] : [];
  });
}
