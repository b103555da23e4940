import { describe, expect, test } from '@jest/globals';
import type { Incident, IncidentInput } from '@rhx/domain';
import { forbiddenIn } from './enriched.test-helper.js';
import { expectedInline, loadFixture, loadFixtures, makeIncident, parseIncident } from './fixtures.test-helper.js';
import { MAX_ACTIONS_PER_GROUP, recommendedActions, type RecommendedActions } from './recommended-actions.js';

const all = (actions: RecommendedActions) => [...actions.containment, ...actions.eradication, ...actions.prevention, ...actions.bestPractices];

// The 14 ATT&CK enterprise tactics, written out here rather than taken from the library.
const TACTICS: ReadonlyArray<readonly [string, string]> = [
  ['TA0043', 'Reconnaissance'],
  ['TA0042', 'Resource Development'],
  ['TA0001', 'Initial Access'],
  ['TA0002', 'Execution'],
  ['TA0003', 'Persistence'],
  ['TA0004', 'Privilege Escalation'],
  ['TA0005', 'Defense Evasion'],
  ['TA0006', 'Credential Access'],
  ['TA0007', 'Discovery'],
  ['TA0008', 'Lateral Movement'],
  ['TA0009', 'Collection'],
  ['TA0011', 'Command and Control'],
  ['TA0010', 'Exfiltration'],
  ['TA0040', 'Impact'],
];

// Controls an action may act on when it names no host, user or technique.
const CONTROLS = /\b(EDR|GPO|firewall|MFA|Kerberos|SIEM|DLP|identity provider|proxy|DNS sinkhole|WAF|LAPS|AppLocker|Credential Guard|VPN|secure web gateway|threat-intelligence platform|mail gateway|CMDB|backup)\b/;

/** Names an action can point at: hosts, users, the actor, technique ids and the rule names. */
function subjectsOf(incident: Incident): string[] {
  return [
    incident.actor.name,
    ...(incident.blastRadius?.hosts ?? []),
    ...(incident.blastRadius?.users ?? []),
    ...(incident.rules ?? []).flatMap((r) => [r.sampleEvent?.host, r.sampleEvent?.user]),
  ].filter((s): s is string => s !== undefined && s.length > 1);
}

const TECHNIQUE = /\bT\d{4}(\.\d{3})?\b/;

function namesSomething(action: string, incident: Incident): boolean {
  // Names appear normalised, and long ones cut: their first 40 visible characters are enough.
  return TECHNIQUE.test(action) || CONTROLS.test(action) || subjectsOf(incident).some((s) => action.includes(expectedInline(s).slice(0, 40)));
}

function withTactic(id: string, name: string, extra: Partial<IncidentInput> = {}): Incident {
  return makeIncident({
    actor: { name: 'j.doe', type: 'user' },
    blastRadius: { hosts: ['SRV-APP-01'], users: ['svc_app'] },
    mitre: { tactics: [{ id, name }], techniques: [] },
    ...extra,
  });
}

const baseline = all(recommendedActions(makeIncident({ actor: { name: 'j.doe', type: 'user' }, blastRadius: { hosts: ['SRV-APP-01'], users: ['svc_app'] } })));

describe('every ATT&CK enterprise tactic has its own actions', () => {
  test.each(TACTICS)('%s %s', (id, name) => {
    const incident = withTactic(id, name);
    const actions = all(recommendedActions(incident));
    const own = actions.filter((a) => !baseline.includes(a));
    expect(own.length).toBeGreaterThan(0);
    expect(own.some((a) => /SRV-APP-01|svc_app|j\.doe/.test(a))).toBe(true);
    expect(forbiddenIn(actions.join('\n'))).toEqual([]);
  });

  test.each(TACTICS)('%s %s with a technique names the technique', (id, name) => {
    const incident = withTactic(id, name, {
      mitre: { tactics: [{ id, name }], techniques: [{ id: 'T1999.001', name: 'Test Technique', tacticId: id }] },
    });
    const own = all(recommendedActions(incident)).filter((a) => !baseline.includes(a));
    expect(own.some((a) => a.includes('T1999.001 Test Technique'))).toBe(true);
  });
});

describe.each(loadFixtures())('recommended actions for %s', (_name, incident) => {
  const actions = recommendedActions(incident);

  test('four groups, each non-empty and bounded, no duplicates', () => {
    for (const group of [actions.containment, actions.eradication, actions.prevention, actions.bestPractices]) {
      expect(group.length).toBeGreaterThan(0);
      expect(group.length).toBeLessThanOrEqual(MAX_ACTIONS_PER_GROUP);
      expect(new Set(group).size).toBe(group.length);
    }
  });

  test('every action names the host, user, technique or control it acts on', () => {
    for (const action of all(actions)) expect([action, namesSomething(action, incident)]).toEqual([action, true]);
  });

  test('no generic filler (case-insensitive)', () => {
    expect(forbiddenIn(all(actions).join('\n'))).toEqual([]);
    expect(forbiddenIn(all(actions).join('\n').toUpperCase())).toEqual([]);
  });

  test('no undefined, null or placeholder names', () => {
    for (const action of all(actions)) {
      expect(action).not.toMatch(/undefined|null|NaN/);
      expect(action).not.toMatch(/(^|\s)"?-"?(\s|$)/);
    }
  });

  test('deterministic, whatever the order of the incident lists', () => {
    const reversed = structuredClone(incident);
    reversed.rules?.reverse();
    reversed.siemAlarms?.reverse();
    reversed.blastRadius?.hosts.reverse();
    reversed.blastRadius?.users.reverse();
    reversed.mitre?.tactics.reverse();
    reversed.mitre?.techniques.reverse();
    expect(recommendedActions(reversed)).toEqual(actions);
    expect(recommendedActions(incident)).toEqual(actions);
  });
});

describe('what the actions act on', () => {
  test('credential access: the users seen are reset and their Kerberos TGTs revoked; hosts are isolated through EDR', () => {
    const actions = recommendedActions(loadFixture('critical-credential-access.json'));
    expect(actions.containment).toContain('Reset the passwords of j.doe and svc_backup, and revoke their Kerberos TGTs');
    expect(actions.containment).toContain('Isolate SRV-DC-01 and WKS-FIN-042 through the EDR network-containment policy');
    expect(actions.containment[0]).toBe('Revoke the active sessions and refresh tokens of j.doe in the identity provider');
  });

  test('one user: singular wording', () => {
    const incident = withTactic('TA0006', 'Credential Access', { blastRadius: { hosts: [], users: ['svc_backup'] }, actor: { name: '10.0.0.5', type: 'ip' } });
    expect(recommendedActions(incident).containment).toContain('Reset the password of svc_backup and revoke its Kerberos TGTs');
  });

  test('at most five hosts named per action, the rest counted', () => {
    const actions = all(recommendedActions(loadFixture('high-volume.json')));
    for (const action of actions) expect((action.match(/WKS-\d{4}/g) ?? []).length).toBeLessThanOrEqual(5);
    expect(actions.some((a) => / and \d+ more hosts\b/.test(a))).toBe(true);
  });

  test('an incident without tactics gets actions from its actor, hosts and rules', () => {
    const source = loadFixture('critical-credential-access.json');
    const { mitre: _mitre, ...rest } = source;
    const actions = recommendedActions(parseIncident(rest));
    const text = all(actions).join('\n');
    expect(actions.containment[0]).toContain('j.doe');
    expect(text).toContain('Collect a triage package (memory image, event logs, EDR timeline) from WKS-FIN-042, SRV-DC-01 and SRV-FS-03');
    expect(text).toContain('Hunt for Sigma rule "Domain Group Enumeration Via Net.exe"');
    // Techniques cited in the rules' sample events still bring their steps.
    expect(text).toMatch(/T1003\.001/);
  });

  test('only the required fields: one action per group, all on the actor', () => {
    const actions = recommendedActions(loadFixture('low-minimal.json'));
    for (const group of Object.values(actions)) {
      expect(group).toHaveLength(1);
      expect(group[0]).toContain('k.lee');
    }
  });

  test('an IP actor is blocked at the perimeter', () => {
    const actions = recommendedActions(loadFixture('medium-recon.json'));
    expect(actions.containment[0]).toBe("Block 203.0.113.45 in the perimeter firewall, the VPN gateway and the identity provider's named-location policy");
  });

  test('a host actor is isolated at HIGH and above, put in EDR block mode below', () => {
    const host = (score: number) => makeIncident({ actor: { name: 'SRV-X', type: 'host' }, risk: { score } });
    expect(recommendedActions(host(91)).containment[0]).toBe('Isolate SRV-X through the EDR network-containment policy');
    expect(recommendedActions(host(30)).containment[0]).toBe('Switch the EDR policy of SRV-X to block mode');
  });

  test('names with spaces are quoted; hostile names stay text', () => {
    const actions = all(recommendedActions(loadFixture('critical-hostile-text.json')));
    expect(actions.join('\n')).toContain('"user with spaces"');
    expect(actions.join('\n')).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });
});
