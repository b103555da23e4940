import { meetsSeverity, type Severity, type TargetSystem } from '@rhx/domain';
import type { AutoPushSettings } from './auto-push.settings.js';
import type { IntegrationStatus } from './integration-settings.js';

/** Which targets get a delivery, and why each of the others does not. */
export interface AutoPushDecision {
  targets: TargetSystem[];
  skipped: { system: TargetSystem; reason: 'auto-push-disabled' | 'below-minimum-severity' | 'not-configured' | 'disabled' }[];
}

/**
 * The auto-push rule (PRODUCT §7): when enabled, an incident at or above the minimum severity goes to
 * each listed target that is configured and enabled. Pure, so every severity × threshold is testable.
 */
export function decideAutoPush(
  severity: Severity,
  settings: AutoPushSettings,
  integrations: Pick<IntegrationStatus, 'system' | 'configured' | 'enabled'>[],
): AutoPushDecision {
  const decision: AutoPushDecision = { targets: [], skipped: [] };
  for (const system of settings.targets) {
    const status = integrations.find((i) => i.system === system);
    if (!settings.enabled) decision.skipped.push({ system, reason: 'auto-push-disabled' });
    else if (!meetsSeverity(severity, settings.minSeverity)) decision.skipped.push({ system, reason: 'below-minimum-severity' });
    else if (!status?.configured) decision.skipped.push({ system, reason: 'not-configured' });
    else if (!status.enabled) decision.skipped.push({ system, reason: 'disabled' });
    else decision.targets.push(system);
  }
  return decision;
}
