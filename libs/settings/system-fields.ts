import { SYSTEMS, profileOf, profilesServing } from '@rhx/adapters';
import type { SettingsProfile, TargetSystem, TicketIntegration } from '@rhx/domain';

export type { SettingsProfile, TicketIntegration } from '@rhx/domain';
export { profilesServing };

/** The profile whose row holds `system`'s settings in this mode (the descriptors decide). */
export function settingsProfile(system: TargetSystem, mode: TicketIntegration): SettingsProfile {
  return profileOf(system, mode);
}

/** What each profile's settings hold (its descriptor's `settings`). */
export const SYSTEM_FIELDS = Object.fromEntries(Object.entries(SYSTEMS).map(([p, d]) => [p, d.settings])) as {
  [P in SettingsProfile]: (typeof SYSTEMS)[P]['settings'];
};

export type SettingsValues = Record<string, string | undefined>;
