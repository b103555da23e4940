import { SETTINGS_PROFILES, type SettingsProfile, type TargetSystem, type TicketIntegration } from '@rhx/domain';
import type { SystemDescriptor } from './system-descriptor.js';
import { JIRA_SYSTEM } from './jira/jira.system.js';
import { SERVICENOW_SYSTEM } from './servicenow/servicenow.system.js';
import { PROACTIVE_SYSTEM } from './proactive/proactive.system.js';

/**
 * Every settings profile's descriptor: the one registry of ticketing systems. A profile (or target
 * system) without a line here is a compile error; nothing else switches on a system's name.
 */
export const SYSTEMS = {
  jira: JIRA_SYSTEM,
  servicenow: SERVICENOW_SYSTEM,
  proactive: PROACTIVE_SYSTEM,
} as const satisfies { [P in SettingsProfile]: SystemDescriptor & { profile: P } };

/**
 * The profile that serves `system` in this `TICKET_INTEGRATION`: the one registered for that
 * integration, else the system's own (standard) profile. The one place this choice is made.
 */
export function profileOf(system: TargetSystem, integration: TicketIntegration = 'standard'): SettingsProfile {
  const own = SETTINGS_PROFILES.find((p) => SYSTEMS[p].serves === system && SYSTEMS[p].integration === integration);
  return own ?? system;
}

/** The descriptor of the profile that serves `system` in this integration. */
export function systemOf(system: TargetSystem, integration: TicketIntegration = 'standard'): SystemDescriptor {
  return SYSTEMS[profileOf(system, integration)];
}

/** Every profile that can serve `system`, whatever the integration. */
export function profilesServing(system: TargetSystem): SettingsProfile[] {
  return SETTINGS_PROFILES.filter((p) => SYSTEMS[p].serves === system);
}
