import { describe, expect, test } from '@jest/globals';
import { decidePoll } from './sync-decision.js';

describe('one read against the state recorded at the last poll', () => {
  test('the same state again only stamps', () => {
    expect(decidePoll('servicenow', '2', { state: '2', open: true })).toEqual({ kind: 'stamp' });
    expect(decidePoll('proactive', 'Pending', { state: 'Pending', open: true })).toEqual({ kind: 'stamp' });
  });

  test('the first state seen is a silent baseline unless it moves the analyst status or ends the ticket', () => {
    expect(decidePoll('servicenow', null, { state: '1', open: true })).toEqual({ kind: 'stamp', baseline: { state: '1', label: 'New' } });
    expect(decidePoll('jira', null, { state: 'To Do', category: 'new', open: true })).toEqual({ kind: 'stamp', baseline: { state: 'To Do', label: 'To Do' } });
    expect(decidePoll('proactive', null, { state: 'Work in Progress', open: true })).toMatchObject({ kind: 'change', oldLabel: null, mapped: { analystStatus: 'IN_PROGRESS' } });
    expect(decidePoll('servicenow', null, { state: '7', open: false })).toMatchObject({ kind: 'change', mapped: { analystStatus: 'CLOSED', open: false } });
  });

  test('a new state that leaves the analyst status alone is still a change (the ticket state is recorded)', () => {
    expect(decidePoll('proactive', 'New', { state: 'Suspended', open: true })).toEqual({
      kind: 'change', state: 'Suspended', oldLabel: 'New', mapped: { analystStatus: undefined, open: true, label: 'Suspended' },
    });
    expect(decidePoll('servicenow', '1', { state: '3', open: true })).toMatchObject({ kind: 'change', oldLabel: 'New', mapped: { label: 'On Hold' } });
  });

  test('a state longer than the columns is cut to 50 characters', () => {
    const long = 'x'.repeat(80);
    expect(decidePoll('proactive', 'New', { state: long, open: true })).toMatchObject({ kind: 'change', state: 'x'.repeat(50), mapped: { label: 'x'.repeat(50) } });
  });
});
