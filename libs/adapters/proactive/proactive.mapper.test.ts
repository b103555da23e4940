import { describe, expect, test } from '@jest/globals';
import type { RiskLevel } from '@rhx/domain';
import { renderEnrichedDescription } from '@rhx/tickets';
import { incidentAt, loadIncidentFixture } from '../incident.fixtures.js';
import {
  caseDescription,
  cutText,
  proactiveCreateBody,
  proactivePriorityLabel,
  proactiveReference,
  proactiveStatus,
  proactiveUpdateBody,
} from './proactive.mapper.js';

const CONFIG = { table: 'Case', serviceIdentifier: 'CI0012345' };

describe('proactiveCreateBody', () => {
  test.each<[RiskLevel, string, string]>([
    ['CRITICAL', '1', '1 - Critical'],
    ['HIGH', '2', '2 - High'],
    ['MEDIUM', '3', '3 - Moderate'],
    ['LOW', '4', '4 - Low'],
  ])('%s → priority "%s" (%s)', (level, priority, label) => {
    expect(proactiveCreateBody(incidentAt(level), CONFIG).priority).toBe(priority);
    expect(proactivePriorityLabel(level)).toBe(label);
  });

  test('carries the table, service identifier, incident id as externalId, category and deep link, in the spec’s order', () => {
    const body = proactiveCreateBody(loadIncidentFixture('critical-credential-access'), CONFIG, { deepLinkBaseUrl: 'https://rhythmx.example' });
    expect(Object.keys(body)).toEqual(['table', 'serviceIdentifier', 'externalId', 'priority', 'shortDescription', 'description', 'category', 'deepLink']);
    expect(body).toMatchObject({
      table: 'Case',
      serviceIdentifier: 'CI0012345',
      externalId: 'INC-2026-0001',
      priority: '1',
      category: 'Security Incident',
      deepLink: 'https://rhythmx.example/incidents/INC-2026-0001',
    });
    expect(body.shortDescription).toMatch(/^\[RhythmX\] CRITICAL risk \d+ — /);
  });

  test('no deep link without RHYTHMX_BASE_URL', () => {
    expect(proactiveCreateBody(incidentAt('LOW'), CONFIG)).not.toHaveProperty('deepLink');
  });

  test.each(['critical-exfiltration', 'critical-hostile-text', 'high-volume', 'low-minimal'])('%s: within the spec’s limits', (name) => {
    const body = proactiveCreateBody(loadIncidentFixture(name), CONFIG);
    expect(body.shortDescription.length).toBeGreaterThan(0);
    expect(body.shortDescription.length).toBeLessThanOrEqual(160);
    expect(body.description.length).toBeGreaterThan(0);
    expect(body.description.length).toBeLessThanOrEqual(32_000);
    expect(body.externalId.length).toBeLessThanOrEqual(64);
  });
});

describe('caseDescription', () => {
  test('is the enriched body of the spec, with its sections, recommended actions and the deep link', () => {
    const incident = loadIncidentFixture('high-lateral-movement');
    const options = { deepLinkBaseUrl: 'https://rhythmx.example' };
    const text = caseDescription(incident, options);
    expect(text).toBe(renderEnrichedDescription(incident, options, 32_000));
    expect(text).toMatch(/THREAT SUMMARY[\s\S]*INCIDENT OVERVIEW[\s\S]*RECOMMENDED ACTIONS[\s\S]*DEEP DIVE/);
    expect(text).toContain(`https://rhythmx.example/incidents/${incident.id}`);
  });

  test('the largest fixture stays within 32,000 characters', () => {
    expect(caseDescription(loadIncidentFixture('high-volume')).length).toBeLessThanOrEqual(32_000);
  });
});

describe('cutText', () => {
  test.each([
    ['short', 'abc', 5, 'abc'],
    ['cut with an ellipsis', 'abcdef', 4, 'abc…'],
    ['never half a surrogate pair', 'ab😀cd', 4, 'ab…'],
  ])('%s', (_name, text, max, expected) => {
    expect(cutText(text, max)).toBe(expected);
    expect(cutText(text, max).length).toBeLessThanOrEqual(max);
  });
});

describe('updates, references and status', () => {
  test('an update is a work note, with the priority when the level changed, at most 32,000 characters', () => {
    expect(proactiveUpdateBody('risk rose')).toEqual({ workNote: 'risk rose' });
    expect(proactiveUpdateBody('risk rose', 'CRITICAL')).toEqual({ workNote: 'risk rose', priority: '1' });
    expect(proactiveUpdateBody('x'.repeat(40_000)).workNote).toHaveLength(32_000);
  });

  test('the reference uses the case number for people and calls, and the case url from the answer', () => {
    const created = { caseNumber: 'CS0104233', sysId: 'abc', ticketStatus: 'New', url: 'https://support.mssp.example/case?number=CS0104233' };
    expect(proactiveReference('https://cases.mssp.example/api/proactive/v1', created)).toEqual({
      system: 'servicenow',
      externalId: 'CS0104233',
      remoteId: 'CS0104233',
      url: 'https://support.mssp.example/case?number=CS0104233',
    });
  });

  test('a found case without a url links to its API address', () => {
    const found = { caseNumber: 'CS0104233', ticketStatus: 'New' };
    expect(proactiveReference('https://cases.mssp.example/api/proactive/v1', found).url).toBe('https://cases.mssp.example/api/proactive/v1/cases/CS0104233');
  });

  test.each([
    ['New', true],
    ['Work in Progress', true],
    ['Work In Progress', true],
    ['Pending', true],
    ['Suspended', true],
    ['Resolved', false],
    ['Closed', false],
    ['Cancelled', false],
    ['Canceled', false],
  ])('ticketStatus %s → open %s', (ticketStatus, open) => {
    expect(proactiveStatus({ caseNumber: 'CS1', ticketStatus, priority: '2' })).toEqual({ state: ticketStatus, open, priority: '2' });
  });
});
