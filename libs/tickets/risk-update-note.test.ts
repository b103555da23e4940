import { describe, expect, test } from '@jest/globals';
import { riskChangeSchema, type RiskChangeInput } from '@rhx/domain';
import { emptySections, forbiddenIn, headings, sectionBody } from './enriched.test-helper.js';
import { loadFixture, loadFixtures, makeIncident } from './fixtures.test-helper.js';
import { renderRiskUpdateNote } from './risk-update-note.js';

// ServiceNow's names for the levels' priorities, as its descriptor gives them to the note.
const SNOW = { CRITICAL: '1 Critical', HIGH: '2 High', MEDIUM: '3 Moderate', LOW: '4 Low' } as const;
const priorityText = (level: keyof typeof SNOW) => SNOW[level];

const BASE = 'https://rhythmx.example';
const incident = loadFixture('high-lateral-movement.json'); // HIGH, score 76 (previous 64)
const newRule = {
  name: 'LSASS Memory Access By Unsigned Process',
  severity: 'critical' as const,
  count: 3,
  sigmaId: 'a18dd26b-6450-46de-8c91-9659150cf088',
  firstSeenAt: '2026-11-20T16:00:00Z',
  lastSeenAt: '2026-11-20T16:05:00Z',
  sampleEvent: { time: '2026-11-20T16:00:09Z', host: 'SRV-BUILD-02', user: 'administrator', eventId: '10', detail: 'procdump64.exe read lsass.exe (T1003.001)' },
};
const change = (input: RiskChangeInput) => riskChangeSchema.parse(input);

describe('the risk-update work note', () => {
  const escalation = change({ score: 88, previousScore: 76, reason: 'LSASS read on SRV-BUILD-02\nafter the RDP logon', newRule });
  const note = renderRiskUpdateNote(escalation, incident, { deepLinkBaseUrl: BASE, priorityText });

  test('new risk and level, the previous score and trend, the priority change, the reason', () => {
    expect(headings(note)).toEqual(['RISK UPDATE FOR INC-2026-0002', 'CAUSE OF RISK INCREMENT', 'DEEP DIVE']);
    expect(sectionBody(note, 'RISK UPDATE FOR INC-2026-0002')).toBe(
      [
        'Risk score:  88 / 100 CRITICAL, previous 76 (↑ +12)',
        'Risk level:  CRITICAL (was HIGH)',
        'Priority:    2 High → 1 Critical',
        '',
        'Reason:',
        'LSASS read on SRV-BUILD-02',
        'after the RDP logon',
      ].join('\n'),
    );
  });

  test('the cause of risk increment: the new rule and its sample event', () => {
    expect(sectionBody(note, 'CAUSE OF RISK INCREMENT')).toBe(
      [
        'New rule:',
        'Rule:        LSASS Memory Access By Unsigned Process',
        'Severity:    critical',
        'Count:       3',
        'First seen:  2026-11-20 16:00 UTC',
        'Last seen:   2026-11-20 16:05 UTC',
        'Sigma ID:    a18dd26b-6450-46de-8c91-9659150cf088',
        '',
        'Sample event:',
        'Time: 2026-11-20 16:00:09 UTC · Host: SRV-BUILD-02 · User: administrator · Event ID: 10',
        'Detail: procdump64.exe read lsass.exe (T1003.001)',
      ].join('\n'),
    );
  });

  test('the deep link, no filler, no empty section', () => {
    expect(sectionBody(note, 'DEEP DIVE')).toBe(`Open in RhythmX: ${BASE}/incidents/INC-2026-0002`);
    expect(forbiddenIn(note)).toEqual([]);
    expect(emptySections(note)).toEqual([]);
    expect(note).not.toMatch(/undefined|null|NaN/);
  });

  test('without the system\'s priority names, the levels name the move', () => {
    expect(renderRiskUpdateNote(escalation, incident)).toContain('Priority:    HIGH → CRITICAL');
  });
});

describe('priority only when the level changed', () => {
  test('a rise within CRITICAL: no priority line', () => {
    const critical = loadFixture('critical-credential-access.json');
    const rise = change({ score: 97, previousScore: 91 });
    const note = renderRiskUpdateNote(rise, critical, { priorityText });
    expect(note).toContain('Risk score:  97 / 100 CRITICAL, previous 91 (↑ +6)\nRisk level:  CRITICAL');
    expect(note).not.toContain('Priority');
  });

  test('a fall from HIGH to MEDIUM: ↓ and the lower priority', () => {
    const fall = change({ score: 55, previousScore: 76 });
    expect(renderRiskUpdateNote(fall, incident, { priorityText })).toContain('previous 76 (↓ −21)\nRisk level:  MEDIUM (was HIGH)\nPriority:    2 High → 3 Moderate');
  });

  test('the level the case was last pushed at overrides the one from the previous score', () => {
    const rise = change({ score: 80, previousScore: 76 });
    expect(renderRiskUpdateNote(rise, incident, { previousLevel: 'MEDIUM', priorityText })).toContain('Priority:    3 Moderate → 2 High');
    expect(renderRiskUpdateNote(rise, incident, { priorityText })).not.toContain('Priority');
  });
});

describe('the previous score when the change does not carry one', () => {
  test('the incident as it was before the change: its score', () => {
    expect(renderRiskUpdateNote(change({ score: 90 }), incident)).toContain('90 / 100 CRITICAL, previous 76 (↑ +14)');
  });

  test('the incident already updated to the new score: its previous score', () => {
    const updated = makeIncident({ risk: { score: 90, previousScore: 70 } });
    expect(renderRiskUpdateNote(change({ score: 90 }), updated)).toContain('90 / 100 CRITICAL, previous 70 (↑ +20)');
  });

  test('no previous score anywhere: no trend, no priority line', () => {
    const fresh = makeIncident({ risk: { score: 90 } });
    const note = renderRiskUpdateNote(change({ score: 90 }), fresh);
    expect(note).toBe('RISK UPDATE FOR INC-TEST-0001\n=============================\nRisk score:  90 / 100 CRITICAL\nRisk level:  CRITICAL');
  });
});

describe('limits and hostile text', () => {
  test.each(loadFixtures())('%s: the longest change fits in 32,000 characters, the reason whole', (_name, fixture) => {
    const reason = 'r'.repeat(9_990) + '\nend';
    const longest = change({
      score: 100,
      reason,
      newRule: { ...newRule, name: 'n'.repeat(1_000), sampleEvent: { ...newRule.sampleEvent, detail: 'd'.repeat(10_000) } },
    });
    const note = renderRiskUpdateNote(longest, fixture, { deepLinkBaseUrl: BASE });
    expect(note.length).toBeLessThanOrEqual(32_000);
    expect(note).toContain(reason);
  });

  test('a small limit cuts the rule before the score lines, and says so', () => {
    const note = renderRiskUpdateNote(change({ score: 88, previousScore: 76, newRule }), incident, { deepLinkBaseUrl: BASE, maxChars: 400 });
    expect(note.length).toBeLessThanOrEqual(400);
    expect(note).toContain('Risk score:  88 / 100 CRITICAL, previous 76 (↑ +12)');
    expect(note).toContain(`${BASE}/incidents/INC-2026-0002`);
    expect(note).toContain('… not shown (size limit): Cause of Risk Increment');
  });

  test('control characters, bidi overrides and [code] tags', () => {
    const hostile = change({
      score: 90,
      reason: 'a\u0007b\u202Ec\r\n[code]<b>x</b>[/code]',
      newRule: { name: 'rule\nwith\u2066break', severity: 'high', count: 1, sampleEvent: { host: 'h\u0000ost'.replace('\u0000', '\u0001') } },
    });
    const note = renderRiskUpdateNote(hostile, incident);
    expect(note).toContain('a\uFFFDb[U+202E]c\n(code)<b>x</b>(/code)');
    expect(note).toContain('Rule:      rule with[U+2066]break');
    expect(note).toContain('Host: h\uFFFDost');
    expect(note).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u202A-\u202E\u2066-\u2069]/);
  });
});
