import { describe, expect, test } from '@jest/globals';
import { RISK_LEVELS, SETTINGS_PROFILES, TARGET_SYSTEMS, type SettingsProfile } from '@rhx/domain';
import { SYSTEMS, profileOf, profilesServing, systemOf } from './systems.js';
import type { SystemDescriptor } from './system-descriptor.js';
import { NETWORK_SECRET, NETWORK_VISIBLE } from './network-settings.js';

const each = SETTINGS_PROFILES.map((p) => [p, SYSTEMS[p] as SystemDescriptor] as const);

describe('the registry of ticketing systems', () => {
  test('one descriptor per settings profile, under its own name', () => {
    expect(Object.keys(SYSTEMS).sort()).toEqual([...SETTINGS_PROFILES].sort());
    for (const [p, d] of each) expect(d.profile).toBe(p);
  });

  test('the integration picks the profile; a system with one profile ignores it', () => {
    expect(TARGET_SYSTEMS.map((s) => profileOf(s, 'standard'))).toEqual([...TARGET_SYSTEMS]);
    expect(profileOf('servicenow', 'proactive')).toBe('proactive');
    expect(profileOf('jira', 'proactive')).toBe('jira');
    expect(systemOf('servicenow', 'proactive').label).toBe('Proactive Case API');
    expect(profilesServing('servicenow')).toEqual(['servicenow', 'proactive']);
    expect(profilesServing('jira')).toEqual(['jira']);
  });

  test('priority mapping of PRODUCT §5, in each system\'s own words', () => {
    const table = Object.fromEntries(each.map(([p, d]) => [p, RISK_LEVELS.map((l) => d.priorityText(l))]));
    expect(table).toEqual({
      jira: ['Highest', 'High', 'Medium', 'Low'],
      servicenow: ['1 Critical', '2 High', '3 Moderate', '4 Low'],
      proactive: ['1 Critical', '2 High', '3 Moderate', '4 Low'],
    });
  });

  test('the cadence gate logs under the labels of CONTRACT §6', () => {
    expect(Object.fromEntries(each.map(([p, d]) => [p, d.gateLabel]))).toEqual({ jira: 'Jira', servicenow: 'SNOW', proactive: 'SNOW' });
  });
});

describe.each(each)('%s settings', (_profile: SettingsProfile, d: SystemDescriptor) => {
  const fields = [...d.settings.visible, ...d.settings.secret];

  test('the body schema takes exactly its settings and `enabled`', () => {
    expect(Object.keys(d.bodySchema.shape).sort()).toEqual(['enabled', ...fields].sort());
  });

  test('every setting has a console label, and required and identity settings are settings', () => {
    for (const f of fields) expect(d.settings.labels[f]).toEqual(expect.any(String));
    for (const f of [...d.settings.required, ...d.settings.identity]) expect(fields).toContain(f);
    expect(fields).toContain(d.url.field);
  });

  test('every setting is seeded by one variable, and a secret setting only by a secret variable', () => {
    // The network settings override the environment's own network variables (HTTPS_PROXY, <SYSTEM>_CA_FILE…), which seed nothing.
    const network: readonly string[] = [...NETWORK_VISIBLE, ...NETWORK_SECRET];
    expect(Object.keys(d.env.seeds).sort()).toEqual(fields.filter((f) => !network.includes(f)).sort());
    const secretSeeds = d.settings.secret.filter((f) => !network.includes(f)).map((f) => d.env.seeds[f]);
    // The other secret variable is the TLS key's passphrase, which seeds no setting (issue 16).
    expect([...secretSeeds].sort()).toEqual(d.env.secrets.filter((s) => s !== d.env.tls.passphrase).sort());
    expect(d.env.seeds[d.url.field]).toBe(d.env.trustedUrl);
  });
});
