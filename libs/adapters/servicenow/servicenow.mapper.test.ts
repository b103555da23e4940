import { describe, expect, test } from '@jest/globals';
import type { RiskLevel } from '@rhx/domain';
import { incidentAt, loadIncidentFixture } from '../incident.fixtures.js';
import {
  isWorkNoteWithMarker,
  serviceNowCorrelationId,
  serviceNowCreateBody,
  serviceNowFindQuery,
  serviceNowPriorityLabel,
  serviceNowReference,
  serviceNowStatus,
  serviceNowUpdateBody,
  serviceNowWorkNoteQuery,
} from './servicenow.mapper.js';

describe('serviceNowCreateBody', () => {
  test.each<[RiskLevel, string, string, string]>([
    ['CRITICAL', '1', '1', '1 - Critical'],
    ['HIGH', '1', '2', '2 - High'],
    ['MEDIUM', '2', '2', '3 - Moderate'],
    ['LOW', '2', '3', '4 - Low'],
  ])('%s → impact %s, urgency %s (%s)', (level, impact, urgency, label) => {
    const body = serviceNowCreateBody(incidentAt(level));
    expect(body).toMatchObject({ impact, urgency });
    expect(body).not.toHaveProperty('priority');
    expect(serviceNowPriorityLabel(level)).toBe(label);
  });

  test('marks the record with the correlation id and category', () => {
    const body = serviceNowCreateBody(loadIncidentFixture('critical-credential-access'));
    expect(body).toMatchObject({ category: 'security', correlation_id: 'rhythmx:INC-2026-0001', correlation_display: 'RhythmX' });
    expect(body).not.toHaveProperty('assignment_group');
  });

  test('sends the resolved group sys_id, never a name', () => {
    const body = serviceNowCreateBody(incidentAt('HIGH'), { assignmentGroupSysId: 'a'.repeat(32) });
    expect(body.assignment_group).toBe('a'.repeat(32));
  });

  test.each(['critical-exfiltration', 'critical-hostile-text', 'high-volume', 'low-minimal'])(
    '%s: short description of at most 160 characters, plain-text description',
    (name) => {
      const body = serviceNowCreateBody(loadIncidentFixture(name));
      expect(body.short_description.length).toBeGreaterThan(0);
      expect(body.short_description.length).toBeLessThanOrEqual(160);
      expect(body.description.length).toBeGreaterThan(0);
      for (const value of Object.values(body)) expect(typeof value).toBe('string');
    },
  );
});

describe('correlation', () => {
  test('id is prefixed and at most 100 characters', () => {
    expect(serviceNowCorrelationId('INC-1')).toBe('rhythmx:INC-1');
    expect(serviceNowCorrelationId('x'.repeat(120))).toHaveLength(100);
  });

  test('find query matches the correlation id, newest first', () => {
    expect(serviceNowFindQuery('INC-1')).toBe('correlation_id=rhythmx:INC-1^ORDERBYDESCsys_created_on');
  });
});

describe('updates, references and status', () => {
  test('an update is a work note, with impact and urgency when the level changed', () => {
    expect(serviceNowUpdateBody('risk rose')).toEqual({ work_notes: 'risk rose' });
    expect(serviceNowUpdateBody('risk rose', 'CRITICAL')).toEqual({ work_notes: 'risk rose', impact: '1', urgency: '1' });
  });

  test('the reference links to the record by sys_id and keeps the computed priority', () => {
    const ref = serviceNowReference('https://acme.service-now.com', { sys_id: 'abc', number: 'INC0010002', state: '1', priority: '2' });
    expect(ref).toEqual({
      system: 'servicenow',
      externalId: 'INC0010002',
      remoteId: 'abc',
      url: 'https://acme.service-now.com/nav_to.do?uri=incident.do?sys_id=abc',
      priority: '2',
    });
  });

  test.each([
    ['1', true],
    ['2', true],
    ['3', true],
    ['6', false],
    ['7', false],
    ['8', false],
  ])('state %s → open %s', (state, open) => {
    expect(serviceNowStatus({ sys_id: 'a', number: 'INC1', state })).toEqual({ state, open });
  });
});

describe('work notes read back', () => {
  const SYS_ID = '0123456789abcdef0123456789abcdef';
  const MARKER = 'rhythmx-update-3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f';
  test('the encoded query names the record, the work_notes journal and the marker; a caret stays literal', () => {
    expect(serviceNowWorkNoteQuery(SYS_ID, MARKER)).toBe(`element_id=${SYS_ID}^element=work_notes^valueLIKE${MARKER}`);
    expect(serviceNowWorkNoteQuery(SYS_ID, 'a^b')).toBe(`element_id=${SYS_ID}^element=work_notes^valueLIKEa^^b`);
  });

  test.each<[string, { element_id: string; element: string; value: string }, boolean]>([
    ['the note', { element_id: SYS_ID, element: 'work_notes', value: `Risk rose\n${MARKER}` }, true],
    ['another record (a query term the platform dropped)', { element_id: 'f'.repeat(32), element: 'work_notes', value: MARKER }, false],
    ['a comment, not a work note', { element_id: SYS_ID, element: 'comments', value: MARKER }, false],
    ['a note without the marker', { element_id: SYS_ID, element: 'work_notes', value: 'Analyst note' }, false],
  ])('isWorkNoteWithMarker: %s → %s', (_name, row, expected) => {
    expect(isWorkNoteWithMarker(row, SYS_ID, MARKER)).toBe(expected);
  });
});
