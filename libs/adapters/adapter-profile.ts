import type { TargetSystem } from '@rhx/domain';
import type { AdapterOptions } from './adapter-options.js';

/**
 * Which adapter (and which settings shape) serves a target system: its own, except that the
 * `servicenow` target is served by the Proactive Case API when `TICKET_INTEGRATION=proactive`.
 */
export type AdapterProfile = TargetSystem | 'proactive';

export const ADAPTER_PROFILES = ['jira', 'servicenow', 'proactive'] as const satisfies readonly AdapterProfile[];

/** The profile that serves `system` under these options. */
export function adapterProfile(system: TargetSystem, options: Pick<AdapterOptions, 'ticketIntegration'>): AdapterProfile {
  return system === 'servicenow' && options.ticketIntegration === 'proactive' ? 'proactive' : system;
}
