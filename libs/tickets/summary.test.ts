import { describe, expect, test } from '@jest/globals';
import { JIRA_SUMMARY_MAX, SERVICENOW_SUMMARY_MAX, ticketSummary } from './summary.js';
import { loadFixture, loadFixtures, makeIncident } from './fixtures.test-helper.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PREFIX = '[RhythmX] CRITICAL risk 91 — ';

describe('ticketSummary', () => {
  test('exact format for critical-credential-access.json', () => {
    expect(ticketSummary(loadFixture('critical-credential-access.json'), JIRA_SUMMARY_MAX)).toBe(
      '[RhythmX] CRITICAL risk 91 — j.doe (user)',
    );
  });

  test.each([
    [18, 'LOW'],
    [40, 'MEDIUM'],
    [70, 'HIGH'],
    [84, 'HIGH'],
    [85, 'CRITICAL'],
  ])('severity comes from score %i → %s, not from the stated level', (score, severity) => {
    const incident = makeIncident({ risk: { score, level: 'LOW' }, actor: { name: 'h-01', type: 'host' } });
    expect(ticketSummary(incident, JIRA_SUMMARY_MAX)).toBe(`[RhythmX] ${severity} risk ${score} — h-01 (host)`);
  });

  test('newlines and control characters in the name collapse to single spaces: one line', () => {
    const incident = makeIncident({ actor: { name: 'evil\r\n\nname\twith\u0007controls', type: 'user' } });
    expect(ticketSummary(incident, JIRA_SUMMARY_MAX)).toBe(`${PREFIX}evil name with controls (user)`);
  });

  test('hostile name: markup stays text, the right-to-left override becomes visible', () => {
    const summary = ticketSummary(loadFixture('critical-hostile-text.json'), JIRA_SUMMARY_MAX);
    expect(summary).toBe(
      '[RhythmX] CRITICAL risk 88 — Zoë *bold* {code}x{code} [link|http://evil.example] <script>alert(1)</script> [U+202E] (user)',
    );
    expect(summary).not.toContain('\u202E');
  });

  test.each([JIRA_SUMMARY_MAX, SERVICENOW_SUMMARY_MAX])('a long name is cut to %i with "…"', (max) => {
    const summary = ticketSummary(makeIncident({ actor: { name: 'x'.repeat(256), type: 'user' } }), max);
    expect(summary).toHaveLength(max);
    expect(summary.endsWith('x…')).toBe(true);
    expect(summary.startsWith(PREFIX)).toBe(true);
  });

  // An emoji (two UTF-16 units) placed so that it straddles the last unit that fits before "…".
  test.each([JIRA_SUMMARY_MAX, SERVICENOW_SUMMARY_MAX])('an emoji at the %i boundary is never split', (max) => {
    for (let shift = 0; shift < 4; shift += 1) {
      const pad = 'a'.repeat(max - 2 - PREFIX.length - shift);
      const name = `${pad}😀😀😀`.slice(0, 256);
      const summary = ticketSummary(makeIncident({ actor: { name, type: 'user' } }), max);
      expect(summary.length).toBeLessThanOrEqual(max);
      expect(summary).not.toMatch(LONE_SURROGATE);
      expect(summary.endsWith('…')).toBe(true);
      expect(`${PREFIX}${name} (user)`.startsWith(summary.slice(0, -1))).toBe(true);
    }
  });

  test('a name made only of emoji fits in UTF-16 units, not code points', () => {
    const summary = ticketSummary(makeIncident({ actor: { name: '😀'.repeat(128), type: 'user' } }), SERVICENOW_SUMMARY_MAX);
    expect(summary.length).toBeLessThanOrEqual(SERVICENOW_SUMMARY_MAX);
    expect(summary.length).toBeGreaterThanOrEqual(SERVICENOW_SUMMARY_MAX - 2);
    expect(summary).not.toMatch(LONE_SURROGATE);
  });

  test.each(loadFixtures())('%s fits both limits on one line', (_name, incident) => {
    for (const max of [JIRA_SUMMARY_MAX, SERVICENOW_SUMMARY_MAX]) {
      const summary = ticketSummary(incident, max);
      expect(summary.length).toBeLessThanOrEqual(max);
      expect(summary).not.toMatch(/[\r\n\u0000-\u001F]/);
      expect(summary).toMatch(/^\[RhythmX\] (CRITICAL|HIGH|MEDIUM|LOW) risk \d{1,3} — /);
    }
  });
});
