import { describe, expect, test } from '@jest/globals';
import { riskChangeSchema, type Incident } from '@rhx/domain';
import { renderEnrichedDescription } from './enriched-description.js';
import {
  captionedLines,
  emptySections,
  forbiddenIn,
  headings,
  sectionBody,
  SPEC_ORDER,
} from './enriched.test-helper.js';
import { expectedInline, expectedMultiline, expectedServiceNow, loadFixture, loadFixtures, makeIncident } from './fixtures.test-helper.js';

const BASE = 'https://rhythmx.example';
const render = (incident: Incident, maxChars?: number) => renderEnrichedDescription(incident, { deepLinkBaseUrl: BASE }, maxChars);
const fixtures = loadFixtures();

/** The sections the spec says an incident has data for, worked out from the incident itself. */
function expectedTitles(incident: Incident, withCause: boolean): string[] {
  const has: Record<(typeof SPEC_ORDER)[number], boolean> = {
    'THREAT SUMMARY': true,
    'THREAT ANALYSIS': (incident.risk.factors ?? []).length > 0 || (incident.notes ?? '').trim() !== '',
    'INCIDENT OVERVIEW': true,
    'BLAST RADIUS': incident.blastRadius !== undefined,
    'DETECTED THREATS': (incident.rules ?? []).length > 0,
    'SAMPLE EVENTS PER RULE': (incident.rules ?? []).some((r) => r.sampleEvent !== undefined),
    'CAUSE OF RISK INCREMENT': withCause,
    'CONTRIBUTED SIEM TRIGGERS': (incident.siemAlarms ?? []).length > 0,
    'MITRE ATT&CK': (incident.mitre?.tactics.length ?? 0) + (incident.mitre?.techniques.length ?? 0) > 0,
    'RECOMMENDED ACTIONS': true,
    TIMELINE: incident.timeline !== undefined,
    'DEEP DIVE': true,
  };
  return SPEC_ORDER.filter((title) => has[title]);
}

describe.each(fixtures)('enriched description of %s', (_name, incident) => {
  const text = render(incident);
  const change = riskChangeSchema.parse({ score: 95, previousScore: incident.risk.score, reason: 'new rule', newRule: { name: 'New Rule X', severity: 'critical', count: 2 } });

  test('every section with data, in the spec order, none empty', () => {
    expect(headings(text)).toEqual(expectedTitles(incident, false));
    expect(emptySections(text)).toEqual([]);
  });

  test('Cause of Risk Increment appears, in its place, only when given', () => {
    const withCause = renderEnrichedDescription(incident, { deepLinkBaseUrl: BASE, causeOfIncrement: change });
    expect(headings(withCause)).toEqual(expectedTitles(incident, true));
    expect(sectionBody(withCause, 'CAUSE OF RISK INCREMENT')).toContain('New Rule X');
  });

  test('within 32,000 characters, no "undefined" or "null", no filler', () => {
    expect(text.length).toBeLessThanOrEqual(32_000);
    expect(text).not.toMatch(/undefined|null|NaN|\[object/);
    expect(forbiddenIn(text)).toEqual([]);
  });

  test('the deep link, and the Recommended Actions in four groups', () => {
    expect(sectionBody(text, 'DEEP DIVE')).toBe(`Open in RhythmX: ${BASE}/incidents/${incident.id}`);
    const actions = sectionBody(text, 'RECOMMENDED ACTIONS');
    for (const group of ['Containment', 'Eradication', 'Prevention', 'Best Practices']) {
      expect(captionedLines(actions, group)[0]).toMatch(/^1\. \S/);
    }
  });

  test('no bidi control reaches the text; [code] tags are neutralised', () => {
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(text).not.toMatch(/\[\/?code\]/i);
  });

  test('deterministic', () => {
    expect(render(structuredClone(incident))).toBe(text);
  });
});

describe('low-minimal.json: only the required fields', () => {
  const text = render(loadFixture('low-minimal.json'));

  test('a short body: summary, overview, actions, link', () => {
    expect(headings(text)).toEqual(['THREAT SUMMARY', 'INCIDENT OVERVIEW', 'RECOMMENDED ACTIONS', 'DEEP DIVE']);
    expect(sectionBody(text, 'THREAT SUMMARY')).toBe('LOW risk incident INC-2026-0004 on user k.lee: risk score 18 / 100.');
    expect(sectionBody(text, 'INCIDENT OVERVIEW')).toBe('Actor:       k.lee (user)\nRisk score:  18 / 100 LOW');
    expect(text.length).toBeLessThan(1_500);
  });

  test('without a base URL there is no Deep Dive section', () => {
    const plain = renderEnrichedDescription(loadFixture('low-minimal.json'));
    expect(headings(plain)).toEqual(['THREAT SUMMARY', 'INCIDENT OVERVIEW', 'RECOMMENDED ACTIONS']);
    expect(plain).not.toContain('http');
  });
});

describe('critical-credential-access.json', () => {
  const incident = loadFixture('critical-credential-access.json');
  const text = render(incident);

  test('Threat Summary: one paragraph with level, actor, attack type and MITRE coverage', () => {
    expect(sectionBody(text, 'THREAT SUMMARY')).toBe(
      'CRITICAL risk incident INC-2026-0001 on user j.doe of ACME-CORP: risk score 91 / 100, up from 74 (↑ +17). ' +
        'Attack type: multi-stage attack that has reached Command and Control (TA0011), driven by Domain Group Enumeration Via Net.exe. ' +
        'MITRE ATT&CK coverage: 9 of the 14 ATT&CK enterprise tactics, 14 techniques.',
    );
  });

  test('Incident Overview: aligned fields, score with previous value and arrow', () => {
    expect(sectionBody(text, 'INCIDENT OVERVIEW')).toBe(
      [
        'Entity:          ACME-CORP',
        'Actor:           j.doe (user)',
        'Risk score:      91 / 100 CRITICAL, previous 74 (↑ +17)',
        'Confidence:      88%',
        'Primary driver:  Domain Group Enumeration Via Net.exe',
        'Attack pattern:  Discovery -> Initial Access -> Execution -> Credential Access -> Persistence -> Command and Control -> Defense Evasion -> Lateral Movement -> Reconnaissance',
        'System state:    Active intrusion suspected',
        'Campaign ID:     CMP-7761',
      ].join('\n'),
    );
  });

  test('Blast Radius: counts, then the hosts and users', () => {
    const body = sectionBody(text, 'BLAST RADIUS');
    expect(body).toContain('Affected hosts:      3\nAffected users:      2\nSIEM alarms:         42\nRhythmX detections:  431\nOpen threat cases:   3');
    expect(captionedLines(body, 'Hosts')).toEqual(['  WKS-FIN-042, SRV-DC-01, SRV-FS-03']);
    expect(captionedLines(body, 'Users')).toEqual(['  j.doe, svc_backup']);
  });

  test('Detected Threats: an aligned table with a row per rule, most severe first', () => {
    const lines = sectionBody(text, 'DETECTED THREATS').split('\n');
    expect(lines[0]).toBe('Severity  Count  First seen            Last seen             Rule');
    expect(lines).toHaveLength(2 + 14);
    expect(lines[2]).toBe('critical     13  2026-11-21 19:17 UTC  2026-11-21 21:17 UTC  LSASS Process Access By Non-System Account');
    expect(lines[lines.length - 1]).toBe('low          19  2026-11-21 19:43 UTC  2026-11-21 21:52 UTC  External Vulnerability Scan Against Edge Host');
    const ruleColumn = (lines[0] ?? '').indexOf('Rule');
    for (const rule of incident.rules ?? []) {
      const row = lines.find((line) => line.slice(ruleColumn) === rule.name);
      expect(row).toMatch(new RegExp(`^${rule.severity} +${rule.count}  `));
    }
  });

  test('Sample Events per Rule: time, host, user, event id and detail', () => {
    const body = sectionBody(text, 'SAMPLE EVENTS PER RULE');
    expect(body).toContain(
      '- Encoded PowerShell Command Line\n' +
        '  Time: 2026-11-21 18:45:17 UTC · Host: SRV-DC-01 · User: j.doe · Event ID: 4104\n' +
        '  Detail: encoded powershell command line observed (T1059.001)',
    );
    expect(body.match(/^- /gm)).toHaveLength(14);
  });

  test('Contributed SIEM Triggers: every alarm with its date, RBP and entity, highest RBP first', () => {
    const lines = sectionBody(text, 'CONTRIBUTED SIEM TRIGGERS').split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Alarm ID    Date                  RBP  Entity',
      '----------  --------------------  ---  ------',
      'ALM-734870  2026-11-21 18:03 UTC   96  ACME-CORP',
    ]);
    for (const alarm of incident.siemAlarms ?? []) expect(lines.some((l) => l.startsWith(`${alarm.id}  `) && l.includes(`  ${alarm.rbp}  `))).toBe(true);
  });

  test('MITRE ATT&CK: the chain in kill-chain order, tactic and technique counts', () => {
    const body = sectionBody(text, 'MITRE ATT&CK');
    expect(body).toContain(
      'Chain:       Reconnaissance → Initial Access → Execution → Persistence → Defense Evasion → Credential Access → Discovery → Lateral Movement → Command and Control\n' +
        'Tactics:     9\nTechniques:  14',
    );
    expect(body).toContain('TA0006 Credential Access    T1558.003 Kerberoasting, T1110.003 Password Spraying, T1003.001 LSASS Memory');
  });

  test('Threat Analysis holds the risk factors and the analyst notes', () => {
    const body = sectionBody(text, 'THREAT ANALYSIS');
    expect(body).toContain('Alert severity                77  20%');
    expect(body).toContain(`Analyst notes:\n${incident.notes ?? ''}`);
  });

  test('Timeline: first and last alert, escalation, incident id', () => {
    expect(sectionBody(text, 'TIMELINE')).toBe(
      'First alert:  2026-11-21 17:01 UTC\nLast alert:   2026-11-21 21:59 UTC\nEscalated:    2026-11-21 22:02 UTC\nIncident ID:  INC-2026-0001',
    );
  });
});

describe('trend arrows and the chain', () => {
  test.each([
    [74, 91, 'up from 74 (↑ +17)', 'previous 74 (↑ +17)'],
    [80, 62, 'down from 80 (↓ −18)', 'previous 80 (↓ −18)'],
    [50, 50, 'unchanged (→)', 'previous 50 (→ 0)'],
  ])('%i → %i', (previousScore, score, summary, overview) => {
    const text = render(makeIncident({ risk: { score, previousScore } }));
    expect(sectionBody(text, 'THREAT SUMMARY')).toContain(summary);
    expect(sectionBody(text, 'INCIDENT OVERVIEW')).toContain(overview);
  });

  test('tactics listed in any order come out in kill-chain order, each once', () => {
    const tactics = [
      { id: 'TA0040', name: 'Impact' },
      { id: 'TA0043', name: 'Reconnaissance' },
      { id: 'TA0011', name: 'Command and Control' },
      { id: 'TA0010', name: 'Exfiltration' },
      { id: 'TA0043', name: 'Reconnaissance' },
    ];
    const text = render(makeIncident({ mitre: { tactics, techniques: [] } }));
    expect(sectionBody(text, 'MITRE ATT&CK')).toContain('Chain:       Reconnaissance → Command and Control → Exfiltration → Impact\n');
  });
});

describe('high-volume.json: 256 rules, 500 alarms, 300 hosts, a 60,000-character note', () => {
  const incident = loadFixture('high-volume.json');
  const text = render(incident);

  test('fits in 32,000 characters and keeps the actions and the link', () => {
    expect(text.length).toBeLessThanOrEqual(32_000);
    expect(headings(text)).toEqual(expectedTitles(incident, false));
    expect(sectionBody(text, 'DEEP DIVE')).toBe(`Open in RhythmX: ${BASE}/incidents/${incident.id}`);
  });

  test('says exactly what was left out, and the shown rows plus the left-out ones are all of them', () => {
    const rules = sectionBody(text, 'DETECTED THREATS').split('\n');
    expect(rules[rules.length - 1]).toBe('… 236 more rules not shown; see the Deep Dive link');
    expect(rules.length - 3).toBe(20);
    const alarms = sectionBody(text, 'CONTRIBUTED SIEM TRIGGERS').split('\n');
    const hiddenAlarms = Number(/^… (\d+) more SIEM triggers not shown; see the Deep Dive link$/.exec(alarms[alarms.length - 1] ?? '')?.[1]);
    expect(alarms.length - 3 + hiddenAlarms).toBe(500);
    const samples = sectionBody(text, 'SAMPLE EVENTS PER RULE');
    const hiddenSamples = Number(/… (\d+) more sample events not shown; see the Deep Dive link$/.exec(samples)?.[1]);
    expect((samples.match(/^- /gm) ?? []).length + hiddenSamples).toBe(256);
  });

  test('the note is cut with the count of characters left out', () => {
    const body = sectionBody(text, 'THREAT ANALYSIS');
    const match = /\nAnalyst notes:\n(N+)\n… ([\d,]+) more characters of the analyst notes not shown; see the Deep Dive link$/.exec(body);
    expect(match).not.toBeNull();
    expect((match?.[1] ?? '').length + Number((match?.[2] ?? '').replace(/,/g, ''))).toBe(60_000);
  });

  test('rows are whole: every shown rule row is a complete rule', () => {
    const lines = sectionBody(text, 'DETECTED THREATS').split('\n').slice(2, -1);
    const names = new Set((incident.rules ?? []).map((r) => r.name));
    const ruleColumn = 'Severity  Count  First seen            Last seen             '.length;
    for (const line of lines) expect(names.has(line.slice(ruleColumn))).toBe(true);
  });

  test.each([12_000, 6_000, 3_000])('at a limit of %i the text still fits, with the actions and the link', (limit) => {
    const cut = render(incident, limit);
    expect(cut.length).toBeLessThanOrEqual(limit);
    expect(headings(cut)).toContain('RECOMMENDED ACTIONS');
    expect(cut).toContain(`${BASE}/incidents/${incident.id}`);
    expect(emptySections(cut)).toEqual([]);
  });

  test('without a link, the cut notes point at the incident in RhythmX', () => {
    expect(renderEnrichedDescription(incident)).toContain('… 236 more rules not shown; see incident INC-2026-0007 in RhythmX');
  });
});

describe('hostile text arrives as the same visible text', () => {
  const incident = loadFixture('critical-hostile-text.json');
  const text = render(incident);
  const seen = (s: string) => expectedServiceNow(expectedInline(s));

  test('names, rules, hosts, users, entities and notes', () => {
    const strings = [
      incident.actor.name,
      incident.actor.entity ?? '',
      incident.risk.primaryDriver ?? '',
      incident.attackPattern ?? '',
      ...(incident.rules ?? []).map((r) => r.name),
      ...(incident.blastRadius?.hosts ?? []),
      ...(incident.blastRadius?.users ?? []),
      ...(incident.siemAlarms ?? []).map((a) => a.entity ?? ''),
    ];
    for (const s of strings) expect(text).toContain(seen(s));
    expect(text).toContain(expectedServiceNow(expectedMultiline(incident.notes ?? '')));
    expect(text).toContain('[U+202E]');
  });

  test('control characters, line breaks in names and [code] tags', () => {
    const hostile = makeIncident({
      actor: { name: 'a\u0007b\u202Ec\nd', type: 'host' },
      rules: [{ name: '[code]<img src=x onerror=alert(1)>[/code]', severity: 'high', count: 1 }],
      notes: 'line 1\r\nline 2\u2028[CODE]x[/Code]',
    });
    const out = render(hostile);
    expect(out).toContain('a\uFFFDb[U+202E]c d');
    expect(out).toContain('(code)<img src=x onerror=alert(1)>(/code)');
    expect(out).toContain('line 1\nline 2\n(CODE)x(/Code)');
    expect(out).not.toMatch(/[\u0007\u202E\r\u2028]/);
  });
});

describe('smaller limits', () => {
  test.each(fixtures.flatMap(([name, incident]) => [20_000, 8_000, 4_000, 2_500].map((limit) => [name, limit, incident] as const)))(
    '%s within %i characters keeps the summary, the actions and the link',
    (_name, limit, incident) => {
      const text = render(incident, limit);
      expect(text.length).toBeLessThanOrEqual(limit);
      expect(headings(text)).toEqual(expect.arrayContaining(['THREAT SUMMARY', 'RECOMMENDED ACTIONS', 'DEEP DIVE']));
      expect(emptySections(text)).toEqual([]);
    },
  );

  test('sections that do not fit are named, in their order, with where to see them', () => {
    const text = render(loadFixture('critical-credential-access.json'), 6_000);
    expect(text.length).toBeLessThanOrEqual(6_000);
    expect(text).toMatch(/… not shown \(size limit\): Threat Analysis, Blast Radius, Sample Events per Rule, Contributed SIEM Triggers(, [A-Za-z&;, ]+)?\n?/);
    expect(headings(text)).not.toContain('THREAT ANALYSIS');
  });

  test('a limit of 120: the link alone', () => {
    expect(render(loadFixture('critical-credential-access.json'), 120)).toBe(
      'DEEP DIVE\n=========\nOpen in RhythmX: https://rhythmx.example/incidents/INC-2026-0001',
    );
  });

  test.each([40, 0])('a limit of %i, too small for the link: nothing', (limit) => {
    expect(render(loadFixture('critical-credential-access.json'), limit)).toBe('');
  });
});
