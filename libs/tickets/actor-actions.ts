import { meetsSeverity, type Incident, type RiskLevel } from '@rhx/domain';
import type { ActionStep } from './action-playbook.js';
import { actionName } from './action-names.js';

/**
 * Steps every incident gets from its actor and its evidence, whatever its tactics: so an incident
 * without MITRE data still gets one action per group. The actor is cut off (sessions, network) at
 * HIGH and CRITICAL; below that, the containment step is a lighter one on the same actor.
 */
export function actorSteps(type: Incident['actor']['type'], level: RiskLevel, actor: string, incidentId: string): ActionStep[] {
  const severe = meetsSeverity(level, 'HIGH');
  switch (type) {
    case 'user':
      return [
        [
          'containment',
          () =>
            severe
              ? `Revoke the active sessions and refresh tokens of ${actor} in the identity provider`
              : `Require ${actor} to sign in again with MFA through the conditional-access policy`,
        ],
        ['eradication', () => `Remove the MFA methods and OAuth app consents added to ${actor} since the first alert`],
        ['prevention', () => `Enrol ${actor} in phishing-resistant MFA through the conditional-access policy`],
        ['bestPractices', () => `Ask the manager of ${actor} to confirm the flagged activity is part of their role, and record the answer in incident ${incidentId}`],
      ];
    case 'host':
      return [
        ['containment', () => (severe ? `Isolate ${actor} through the EDR network-containment policy` : `Switch the EDR policy of ${actor} to block mode`)],
        ['eradication', () => `Run a full EDR scan on ${actor} and remove what it quarantines`],
        ['prevention', () => `Bring ${actor} to the current patch level and the GPO security baseline`],
        ['bestPractices', () => `Record the owner and business role of ${actor} from the CMDB in incident ${incidentId}`],
      ];
    case 'ip':
      return [
        ['containment', () => `Block ${actor} in the perimeter firewall, the VPN gateway and the identity provider's named-location policy`],
        ['eradication', () => `End every VPN and application session opened from ${actor}`],
        ['prevention', () => `Add ${actor} to the threat-intelligence platform's watchlist so the SIEM alarms on its return`],
        ['bestPractices', () => `Attach the WHOIS owner and passive-DNS history of ${actor} to incident ${incidentId}`],
      ];
  }
}

/** Steps from the incident's hosts and rules: evidence to keep and a hunt for the loudest rule. */
export function incidentSteps(incident: Incident): ActionStep[] {
  const steps: ActionStep[] = [
    [
      'bestPractices',
      (s) =>
        s.hosts === undefined
          ? undefined
          : `Collect a triage package (memory image, event logs, EDR timeline) from ${s.hosts} before any host is re-imaged`,
    ],
  ];
  // The loudest rule, ties by name: the same choice whatever the order of the rules.
  const top = [...(incident.rules ?? [])].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
  const rule = actionName(top?.name);
  if (rule !== undefined) {
    const sigma = actionName(top?.sigmaId);
    const scope = actionName(incident.actor.entity) ?? 'every tenant';
    steps.push(['bestPractices', () => `Hunt for Sigma rule ${rule}${sigma === undefined ? '' : ` (${sigma})`} across ${scope} over the last 30 days in the SIEM`]);
  }
  return steps;
}
