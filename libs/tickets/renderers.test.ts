import { describe, expect, test } from '@jest/globals';
import type { Incident } from '@rhx/domain';
import { ADF_MAX_CHARS, renderJiraAdf } from './adf.renderer.js';
import { adfToText, type AdfDoc } from './adf.types.js';
import { PLAIN_TEXT_MAX_CHARS, renderPlainText } from './plain-text.renderer.js';
import { renderJiraWiki, WIKI_MAX_CHARS } from './wiki.renderer.js';
import { loadFixtures } from './fixtures.test-helper.js';
import { adfProblems, emptyHeadings, PLAIN_HEADING, WIKI_HEADING, wikiVisibleText } from './render-checks.test-helper.js';

const BASE = 'https://rhythmx.example/app';

/** One renderer seen the same way by every test: its limit, its size, its visible text and its problems. */
interface RendererCase {
  name: string;
  defaultMax: number;
  render(incident: Incident, options?: { maxChars?: number; deepLinkBaseUrl?: string }): unknown;
  size(output: unknown): number;
  visible(output: unknown): string;
  headings(output: unknown): string[];
  problems(output: unknown): string[];
}

const renderers: RendererCase[] = [
  {
    name: 'Jira Cloud ADF',
    defaultMax: ADF_MAX_CHARS,
    render: renderJiraAdf,
    size: (doc) => adfToText(doc as AdfDoc).length,
    visible: (doc) => adfToText(doc as AdfDoc),
    headings: (doc) =>
      (doc as AdfDoc).content.flatMap((n) =>
        n.type === 'heading' && n.attrs.level === 2 ? [n.content.map((c) => (c.type === 'text' ? c.text : '')).join('')] : [],
      ),
    problems: (doc) => adfProblems(doc),
  },
  {
    name: 'Jira DC wiki',
    defaultMax: WIKI_MAX_CHARS,
    render: renderJiraWiki,
    size: (markup) => (markup as string).length,
    visible: (markup) => wikiVisibleText(markup as string).text,
    headings: (markup) => [...(markup as string).matchAll(/^h2\. (.*)$/gm)].map((m) => m[1] ?? ''),
    problems: (markup) => [...wikiVisibleText(markup as string).problems, ...emptyHeadings(markup as string, WIKI_HEADING)],
  },
  {
    name: 'ServiceNow plain text',
    defaultMax: PLAIN_TEXT_MAX_CHARS,
    render: renderPlainText,
    size: (text) => (text as string).length,
    visible: (text) => text as string,
    headings: (text) => [...(text as string).matchAll(/^== (.*) ==$/gm)].map((m) => m[1] ?? ''),
    problems: (text) => emptyHeadings(text as string, PLAIN_HEADING),
  },
];

const fixtures = loadFixtures();
const matrix = fixtures.flatMap(([file, incident]) => renderers.map((r) => [file, r.name, incident, r] as const));

/** The sections PRODUCT §4 asks for, derived from the raw data alone. */
function expectedSections(incident: Incident, withLink: boolean): string[] {
  const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';
  const sections = ['Actor', 'Risk'];
  if (!blank(incident.attackPattern) || !blank(incident.systemState) || !blank(incident.campaignId)) sections.push('Attack context');
  if (incident.activity) sections.push('Activity');
  if (incident.timeline) sections.push('Timeline');
  if (incident.sla) sections.push('SLA');
  if ((incident.mitre?.tactics.length ?? 0) + (incident.mitre?.techniques.length ?? 0) > 0) sections.push('MITRE ATT&CK');
  if ((incident.rules?.length ?? 0) > 0) sections.push('Top rules');
  if (!blank(incident.notes)) sections.push('Investigation notes');
  if (withLink) sections.push('RhythmX');
  return sections;
}

describe.each(matrix)('%s × %s', (_file, _renderer, incident, r) => {
  const output = r.render(incident, { deepLinkBaseUrl: BASE });
  const visible = r.visible(output);

  test('every section with data is present, in order, and no other', () => {
    expect(r.headings(output)).toEqual(expectedSections(incident, true));
    expect(r.headings(r.render(incident))).toEqual(expectedSections(incident, false));
  });

  test('structurally valid: no empty headings, no live markup, valid ADF', () => {
    expect(r.problems(output)).toEqual([]);
  });

  test('never shows undefined, null, NaN or [object Object]', () => {
    expect(visible).not.toMatch(/\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]/);
    expect(JSON.stringify(output)).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]/);
  });

  test('keeps the default limit', () => {
    expect(r.size(output)).toBeLessThanOrEqual(r.defaultMax);
  });

  test.each([20_000, 8_000, 3_000, 1_000, 300, 60, 0])('keeps maxChars %i and stays valid', (maxChars) => {
    const small = r.render(incident, { maxChars, deepLinkBaseUrl: BASE });
    expect(r.size(small)).toBeLessThanOrEqual(maxChars);
    expect(r.problems(small)).toEqual([]);
    expect(r.visible(small)).not.toMatch(/\bundefined\b|\bnull\b|\bNaN\b/);
  });

  test('the deep link points at the incident', () => {
    const link = `${BASE}/incidents/${incident.id}`;
    if (r.name === 'Jira DC wiki') expect(output as string).toContain(`|${link}]`);
    else if (r.name === 'Jira Cloud ADF') expect(JSON.stringify(output)).toContain(`"href":"${link}"`);
    else expect(visible).toContain(link);
  });

  test('more than 10 rules: the top 10 by count, then "and N more"', () => {
    const rules = incident.rules ?? [];
    const more = `and ${(rules.length - 10).toLocaleString('en-US')} more rules not shown`;
    if (rules.length > 10) expect(visible).toContain(more);
    else expect(visible).not.toMatch(/more rules not shown/);
  });
});

describe('low-minimal.json', () => {
  const incident = fixtures.find(([file]) => file === 'low-minimal.json')?.[1] as Incident;

  test.each(renderers)('$name renders only Actor and Risk', (r) => {
    expect(r.headings(r.render(incident))).toEqual(['Actor', 'Risk']);
    const visible = r.visible(r.render(incident));
    for (const absent of ['Entity', 'Trend', 'Confidence', 'Primary driver', 'Risk factors', 'Activity', 'Timeline', 'SLA', 'MITRE', 'rules', 'notes']) {
      expect(visible).not.toContain(absent);
    }
    for (const present of ['k.lee', 'user', '18 / 100', 'LOW']) expect(visible).toContain(present);
  });
});

describe('high-volume.json', () => {
  const incident = fixtures.find(([file]) => file === 'high-volume.json')?.[1] as Incident;

  test.each(renderers)('$name truncates notes and says how much is not shown', (r) => {
    const visible = r.visible(r.render(incident));
    const match = /notes truncated: ([\d,]+) more characters not shown/.exec(visible);
    expect(match).not.toBeNull();
    const omitted = Number((match?.[1] ?? '').replace(/,/g, ''));
    const shown = (/N{100,}/.exec(visible)?.[0] ?? '').length;
    expect(shown).toBeGreaterThan(10_000);
    expect(shown + omitted).toBe(60_000);
    expect(visible).toContain('and 246 more rules not shown');
  });

  test.each(renderers)('$name under a small limit cuts rules and MITRE lists with visible notes', (r) => {
    const visible = r.visible(r.render(incident, { maxChars: 2_500 }));
    expect(visible).toContain('Actor');
    expect(visible).toMatch(/… and [\d,]+ more (rules|techniques|tactics) not shown|not shown \(size limit\)/);
  });
});
