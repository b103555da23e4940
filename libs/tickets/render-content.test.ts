import { describe, expect, test } from '@jest/globals';
import type { Incident } from '@rhx/domain';
import { renderJiraAdf } from './adf.renderer.js';
import { adfToText, type AdfDoc, type AdfNode } from './adf.types.js';
import { neutraliseServiceNowCode, renderPlainText } from './plain-text.renderer.js';
import { renderJiraWiki } from './wiki.renderer.js';
import { wikiEscape } from './wiki-escape.js';
import {
  expectedInline,
  expectedMultiline,
  expectedServiceNow,
  loadFixture,
  makeIncident,
} from './fixtures.test-helper.js';
import { adfProblems, wikiVisibleText } from './render-checks.test-helper.js';

function textNodes(nodes: readonly AdfNode[]): string[] {
  return nodes.flatMap((n): string[] => (n.type === 'text' ? [n.text] : 'content' in n ? textNodes(n.content) : []));
}

/**
 * Every incident string a ticket shows: raw, normalised as documented (inline or multi-line), and
 * whether it stands alone in one ADF text node (MITRE names share a node with their id).
 */
function shownStrings(incident: Incident): Array<[string, string, boolean]> {
  const alone = [
    incident.actor.name,
    incident.actor.entity,
    incident.risk.primaryDriver,
    incident.attackPattern,
    incident.systemState,
    incident.campaignId,
    incident.activity?.primaryRule,
    ...(incident.rules ?? []).map((r) => r.name),
  ];
  const shared = [...(incident.mitre?.tactics ?? []), ...(incident.mitre?.techniques ?? [])].map((t) => t.name);
  const entry = (own: boolean) => (s: string | undefined): Array<[string, string, boolean]> =>
    s === undefined ? [] : [[s, expectedInline(s), own]];
  const notes: Array<[string, string, boolean]> = incident.notes === undefined ? [] : [[incident.notes, expectedMultiline(incident.notes), false]];
  return [...alone.flatMap(entry(true)), ...shared.flatMap(entry(false)), ...notes];
}

const synthetic = makeIncident({
  actor: {
    name: '{noformat}x{noformat} {color:red}r{color} !i.png! _e_ -s- +i+ ^s^ ~b~ ??c?? {{m}} a\\\\b [~admin] @all :D (y) &lt; &#92; mailto:x@y.z http://e.example h1. 😀 x\u202E\u2066\u0007',
    type: 'ip',
    entity: 'line1\nline2\r\nline3',
  },
  risk: { score: 77, primaryDriver: '*driver*' },
  rules: [
    { name: '[code]<img src=x onerror=alert(1)>[/code] | pipe', severity: 'high', count: 3 },
    { name: 'h1. Heading rule', severity: 'low', count: 2 },
    { name: '----', severity: 'informational', count: 1 },
  ],
  notes: 'h1. Title\nbq. quote\n# item\n* item\n----\n||a||b||\n|c|d|\n  h2. indented\n{code}\nx\\\\\ny\n[CODE]<b>b</b>[/Code]\r\nend\u0007\u202E',
});

describe.each([
  ['critical-hostile-text.json', loadFixture('critical-hostile-text.json')],
  ['synthetic hostile incident', synthetic],
])('%s arrives as the same visible text', (_name, incident) => {
  const strings = shownStrings(incident);

  test('Jira Cloud: verbatim text nodes, valid ADF', () => {
    const doc = renderJiraAdf(incident);
    expect(adfProblems(doc)).toEqual([]);
    const nodes = textNodes(doc.content);
    const visible = adfToText(doc);
    for (const [, expected, ownNode] of strings) {
      expect(visible).toContain(expected);
      if (ownNode) expect(nodes).toContain(expected);
    }
  });

  test('Jira DC: escaped so nothing is markup, and unescapes to the same text', () => {
    const { text, problems } = wikiVisibleText(renderJiraWiki(incident));
    expect(problems).toEqual([]);
    for (const [, expected] of strings) expect(text).toContain(expected);
  });

  test('ServiceNow: verbatim except [code] tags, no entities added', () => {
    const text = renderPlainText(incident);
    let rest = text;
    for (const [, expected] of strings) {
      expect(text).toContain(expectedServiceNow(expected));
      rest = rest.replace(expectedServiceNow(expected), '');
    }
    expect(text).not.toMatch(/\[\/?code\]/i);
    // Entities the incident itself holds are its text; the renderer must add none of its own.
    expect(rest).not.toMatch(/&(lt|gt|amp|quot|#\d+);/);
  });

  test('bidi controls never reach any output; they show as [U+XXXX]', () => {
    const outputs = [JSON.stringify(renderJiraAdf(incident)), renderJiraWiki(incident), renderPlainText(incident)];
    for (const output of outputs) expect(output).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(adfToText(renderJiraAdf(incident))).toContain('[U+202E]');
  });
});

describe('content of critical-credential-access.json', () => {
  const incident = loadFixture('critical-credential-access.json');
  const adf = adfToText(renderJiraAdf(incident));
  const wiki = renderJiraWiki(incident);
  const plain = renderPlainText(incident);

  test.each([
    ['Name', 'j.doe'],
    ['Type', 'user'],
    ['Entity', 'ACME-CORP'],
    ['Score', '91 / 100'],
    ['Level', 'CRITICAL'],
    ['Severity', 'CRITICAL'],
    ['Trend', '74 → 91 (↑ +17)'],
    ['Confidence', '88%'],
    ['Primary driver', 'Domain Group Enumeration Via Net.exe'],
    ['Campaign', 'CMP-7761'],
    ['System state', 'Active intrusion suspected'],
    ['Total alarms', '42'],
    ['Threat cases', '1'],
    ['Unique rules', '14'],
    ['First alert', '2026-11-21 17:01 UTC'],
    ['Last alert', '2026-11-21 21:59 UTC'],
    ['Escalated', '2026-11-21 22:02 UTC'],
    ['Active duration', '4h 58m'],
    ['Target', '4h'],
    ['Status', 'On track'],
    ['Consumed', '28%'],
  ])('%s: %s', (label, value) => {
    expect(adf).toContain(`• ${label}: ${value}\n`);
    expect(plain).toContain(`${label}: ${value}\n`);
    expect(wiki).toContain(`* *${label}:* ${wikiEscape(value)}\n`);
  });

  test('the 7-factor breakdown is a table with name, score and weight', () => {
    expect(adf).toContain('Factor | Score | Weight\nAlert severity | 77 | 20%\nAsset criticality | 70 | 15%');
    expect(wiki).toContain('||Factor||Score||Weight||\n|Alert severity|77|20\\%|');
    expect(plain).toContain('- Alert severity — Score: 77, Weight: 20%');
  });

  test('MITRE tactics and techniques with their ids', () => {
    for (const text of [adf, plain]) {
      expect(text).toContain('TA0006 Credential Access');
      expect(text).toContain('T1558.003 Kerberoasting');
    }
  });

  test('top 10 rules by count, highest first, then "and 4 more"', () => {
    const rows = adf.split('\n').filter((line) => / \| (critical|high|medium|low|informational) \| \d+ \| /.test(line));
    expect(rows).toHaveLength(10);
    expect(rows[0]).toBe('Domain Group Enumeration Via Net.exe | low | 59 | 2026-11-21 19:20 UTC | 2026-11-21 20:38 UTC');
    expect(rows[9]).toMatch(/^External Vulnerability Scan Against Edge Host \| low \| 19 \|/);
    expect(adf).not.toContain('Run Key Persistence Via Reg.exe');
    expect(adf).toContain('… and 4 more rules not shown');
  });
});

describe('details', () => {
  test('rules with equal counts keep their incident order', () => {
    const rule = (name: string, count: number) => ({ name, severity: 'low' as const, count });
    const incident = makeIncident({ rules: [rule('A', 5), rule('B', 7), rule('C', 5), rule('D', 7)] });
    const names = renderPlainText(incident).match(/^- [A-D] /gm);
    expect(names).toEqual(['- B ', '- D ', '- A ', '- C ']);
  });

  test.each([
    [80, 62, '80 → 62 (↓ −18)'],
    [50, 50, '50 → 50 (→ 0)'],
  ])('trend %i → %i', (previousScore, score, trend) => {
    expect(renderPlainText(makeIncident({ risk: { score, previousScore } }))).toContain(`Trend: ${trend}`);
  });

  test.each([
    ['https://rhx.example/app/', 'https://rhx.example/app/incidents/INC-TEST-0001'],
    ['https://user:secret@rhx.example/x?q=1#f', 'https://rhx.example/x/incidents/INC-TEST-0001'],
  ])('deep link from base %s', (base, link) => {
    const text = renderPlainText(makeIncident(), { deepLinkBaseUrl: base });
    expect(text).toContain(`Open in RhythmX: ${link}`);
    expect(text).not.toContain('secret');
  });

  test.each(['javascript:alert(1)', 'not a url', '  '])('no link section for base %j', (base) => {
    expect(renderPlainText(makeIncident(), { deepLinkBaseUrl: base })).not.toContain('RhythmX');
    expect(adfProblems(renderJiraAdf(makeIncident(), { deepLinkBaseUrl: base }))).toEqual([]);
  });

  test.each([
    ['[code]<b>x</b>[/code]', '(code)<b>x</b>(/code)'],
    ['[CODE]a[/Code]', '(CODE)a(/Code)'],
    ['[ code ] and [codex] stay', '[ code ] and [codex] stay'],
  ])('neutraliseServiceNowCode %j', (input, expected) => {
    expect(neutraliseServiceNowCode(input)).toBe(expected);
  });

  test('over the limit, notes are cut first while every rule row stays', () => {
    const incident = loadFixture('critical-credential-access.json');
    const full = renderPlainText(incident);
    const cut = renderPlainText(incident, { maxChars: full.length - 40 });
    expect(cut.length).toBeLessThanOrEqual(full.length - 40);
    expect(cut).toMatch(/… notes truncated: [\d,]+ more characters not shown/);
    expect(cut).toContain('External Vulnerability Scan Against Edge Host');
    expect(cut).not.toMatch(/more (techniques|tactics) not shown/);
  });

  test('a very small limit drops whole sections and names them', () => {
    const doc: AdfDoc = renderJiraAdf(loadFixture('critical-credential-access.json'), { maxChars: 300 });
    const text = adfToText(doc);
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text).toContain('j.doe');
    expect(text).toMatch(/not shown \(size limit\): .*Investigation notes/);
  });
});
