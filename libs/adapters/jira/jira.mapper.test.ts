import { describe, expect, test } from '@jest/globals';
import type { RiskLevel } from '@rhx/domain';
import { adfProblem } from '@rhx/testing';
import { incidentAt, loadIncidentFixture } from '../incident.fixtures.js';
import {
  jiraCommentHasMarker,
  jiraCreateBody,
  jiraIncidentLabel,
  jiraPriorityName,
  jiraReference,
  jiraSearchBody,
  jiraSearchJql,
  jiraStatus,
  noteToAdf,
  noteToWiki,
} from './jira.mapper.js';

const cloud = { deployment: 'cloud' as const, projectKey: 'SEC', issueType: 'Task' };
const server = { ...cloud, deployment: 'server' as const };

describe('jiraCreateBody', () => {
  test.each<[RiskLevel, string]>([
    ['CRITICAL', 'Highest'],
    ['HIGH', 'High'],
    ['MEDIUM', 'Medium'],
    ['LOW', 'Low'],
  ])('%s → priority %s', (level, name) => {
    expect(jiraCreateBody(incidentAt(level), cloud).fields.priority).toEqual({ name });
    expect(jiraPriorityName(level)).toBe(name);
  });

  test('takes the level from the score when none is stated (91 → Highest)', () => {
    expect(jiraCreateBody(loadIncidentFixture('critical-credential-access'), cloud).fields.priority.name).toBe('Highest');
  });

  test('sets project, issue type and the two labels, none with spaces', () => {
    const { fields } = jiraCreateBody(loadIncidentFixture('high-lateral-movement'), { ...cloud, issueType: 'Incident' });
    expect(fields.project).toEqual({ key: 'SEC' });
    expect(fields.issuetype).toEqual({ name: 'Incident' });
    expect(fields.labels).toEqual(['rhythmx', 'rhythmx-INC-2026-0002']);
    for (const label of fields.labels) expect(label).not.toMatch(/\s/);
  });

  test.each(['critical-credential-access', 'critical-hostile-text', 'high-volume', 'low-minimal', 'medium-recon'])(
    '%s: one-line summary of at most 255 characters and valid ADF on Cloud',
    (name) => {
      const { fields } = jiraCreateBody(loadIncidentFixture(name), cloud);
      expect(fields.summary.length).toBeGreaterThan(0);
      expect(fields.summary.length).toBeLessThanOrEqual(255);
      expect(fields.summary).not.toMatch(/[\r\n]/);
      expect(adfProblem(fields.description)).toBeNull();
    },
  );

  test('Server gets a wiki-markup string description', () => {
    const { fields } = jiraCreateBody(loadIncidentFixture('medium-recon'), server);
    expect(typeof fields.description).toBe('string');
  });
});

describe('search', () => {
  test('the JQL names the project and the incident label', () => {
    expect(jiraSearchJql('SEC', 'INC-2026-0001')).toBe('project = SEC AND labels = "rhythmx-INC-2026-0001"');
    expect(jiraIncidentLabel('a.b:c_d-1')).toBe('rhythmx-a.b:c_d-1');
  });

  test('Cloud asks for key, status and labels, one result; Server pages from 0', () => {
    expect(jiraSearchBody('cloud', 'SEC', 'X1')).toEqual({
      jql: 'project = SEC AND labels = "rhythmx-X1"',
      fields: ['key', 'status', 'labels'],
      maxResults: 1,
    });
    expect(jiraSearchBody('server', 'SEC', 'X1')).toMatchObject({ startAt: 0, maxResults: 1 });
  });
});

describe('notes', () => {
  test.each(['Risk rose to 91', 'line one\n\nline two', '', '   ', '*not bold* {code} [link|http://x]'])('ADF of %j is valid', (note) => {
    expect(adfProblem(noteToAdf(note))).toBeNull();
  });

  test('ADF keeps the text as data', () => {
    expect(noteToAdf('*a* {b}').content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: '*a* {b}' }] }]);
  });

  test('wiki escapes markup characters', () => {
    expect(noteToWiki('*bold* [x|y] {noformat}')).toBe('\\*bold\\* \\[x\\|y\\] \\{noformat\\}');
    expect(noteToWiki('h1. heading')).toBe('h1&#46; heading');
  });
});

describe('references and status', () => {
  test('the browse link uses the base URL (context path included), not the API self link', () => {
    expect(jiraReference('https://jira.example.com/jira', { id: '10001', key: 'SEC-24' })).toEqual({
      system: 'jira',
      externalId: 'SEC-24',
      remoteId: '10001',
      url: 'https://jira.example.com/jira/browse/SEC-24',
    });
  });

  test.each([
    ['new', true],
    ['indeterminate', true],
    ['done', false],
  ])('status category %s → open %s, whatever the name', (key, open) => {
    expect(jiraStatus({ name: 'Closed-ish', statusCategory: { key } })).toEqual({ state: 'Closed-ish', open, category: key });
  });
});

describe('jiraCommentHasMarker', () => {
  const MARKER = 'rhythmx-update-3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f';
  const text = (t: string, marks?: unknown[]) => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
  const doc = (...content: unknown[]) => ({ type: 'doc', content }) as never;
  test.each<[string, unknown, boolean]>([
    ['an ADF note as the adapter sends it', noteToAdf(`Risk rose\n${MARKER}`), true],
    ['a marker split by marks inside one paragraph', doc({ type: 'paragraph', content: [text('rhythmx-update-'), text(MARKER.slice(15), [{ type: 'strong' }])] }), true],
    ['a marker inside a list item', doc({ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text(`see ${MARKER}.`)] }] }] }), true],
    ['a marker only in an attribute', doc({ type: 'paragraph', content: [{ type: 'inlineCard', attrs: { url: MARKER } }] }), false],
    ['halves in two paragraphs', doc({ type: 'paragraph', content: [text(MARKER.slice(0, 20))] }, { type: 'paragraph', content: [text(MARKER.slice(20))] }), false],
    ['empty paragraphs only', doc({ type: 'paragraph' }, { type: 'paragraph', content: [] }), false],
    ['wiki as the adapter escapes it', noteToWiki(`Risk rose\n${MARKER}`), true],
    ['wiki written by hand, unescaped', `see ${MARKER}`, true],
    ['wiki with another marker', noteToWiki('rhythmx-update-00000000-8b7d-4c6e-9f10-2a3b4c5d6e7f'), false],
  ])('%s → %s', (_name, body, expected) => {
    expect(jiraCommentHasMarker(body as never, MARKER)).toBe(expected);
  });
});
