import { describe, expect, test } from '@jest/globals';
import { SYSTEMS, profileOf } from '@rhx/adapters';
import { mapTicketStatus } from './status-mapping.js';

describe('Proactive Case API ticketStatus (spec: Status mapping), both spellings', () => {
  test.each([
    ['New', undefined, true],
    ['Work in Progress', 'IN_PROGRESS', true],
    ['Work In Progress', 'IN_PROGRESS', true],
    ['Pending', undefined, true],
    ['Suspended', undefined, true],
    ['Resolved', 'CLOSED', false],
    ['Closed', 'CLOSED', false],
    ['Cancelled', 'FALSE_POSITIVE', false],
    ['Canceled', 'FALSE_POSITIVE', false],
  ] as const)('%s → %s, polled again: %s', (state, analystStatus, open) => {
    // The Proactive adapter says open=false for the terminal ones; the mapping agrees on its own too.
    expect(mapTicketStatus('proactive', { state, open: true })).toEqual({ analystStatus, open, label: state });
    expect(mapTicketStatus('proactive', { state, open })).toEqual({ analystStatus, open, label: state });
  });

  test('an unknown status changes nothing and keeps the case polled', () => {
    expect(mapTicketStatus('proactive', { state: 'Awaiting Customer', open: true })).toEqual({ analystStatus: undefined, open: true, label: 'Awaiting Customer' });
  });
});

describe('ServiceNow Table API state', () => {
  test.each([
    ['1', 'New', undefined, true],
    ['2', 'In Progress', 'IN_PROGRESS', true],
    ['3', 'On Hold', undefined, true],
    ['6', 'Resolved', 'CLOSED', false],
    ['7', 'Closed', 'CLOSED', false],
    ['8', 'Canceled', 'FALSE_POSITIVE', false],
    ['42', '42', undefined, true],
  ] as const)('state %s (%s) → %s, polled again: %s', (state, label, analystStatus, open) => {
    expect(mapTicketStatus('servicenow', { state, open: !['6', '7', '8'].includes(state) })).toEqual({ analystStatus, open, label });
  });
});

describe('Jira status category (names are never looked at)', () => {
  test.each([
    ['new', undefined, true],
    ['indeterminate', 'IN_PROGRESS', true],
    ['done', 'CLOSED', false],
  ] as const)('category %s → %s, polled again: %s', (category, analystStatus, open) => {
    expect(mapTicketStatus('jira', { state: 'Some Workflow Name', category, open: category !== 'done' }))
      .toEqual({ analystStatus, open, label: 'Some Workflow Name' });
  });

  test('without a category, a closed ticket is CLOSED and an open one unchanged', () => {
    expect(mapTicketStatus('jira', { state: 'Done', open: false })).toMatchObject({ analystStatus: 'CLOSED', open: false });
    expect(mapTicketStatus('jira', { state: 'To Do', open: true })).toMatchObject({ analystStatus: undefined, open: true });
  });
});

test('modes and history sources: proactive is a mode of the servicenow system', () => {
  expect(profileOf('jira', 'proactive')).toBe('jira');
  expect(profileOf('servicenow', 'standard')).toBe('servicenow');
  expect(profileOf('servicenow', 'proactive')).toBe('proactive');
  expect(Object.fromEntries(Object.entries(SYSTEMS).map(([p, d]) => [p, d.sync.source]))).toEqual({ jira: 'jira-sync', servicenow: 'servicenow-sync', proactive: 'proactive-snow-sync' });
});
