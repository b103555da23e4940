import { describe, expect, test } from '@jest/globals';
import { orderRecords, parseEncodedQuery, queryMatches } from './encoded-query.parser.js';
import { jqlMatches, parseJql } from './jql.parser.js';

describe('parseJql', () => {
  test('reads the bridge query', () => {
    expect(parseJql('project = SEC AND labels = "rhythmx-INC-1"')).toEqual({
      clauses: [
        { field: 'project', value: 'SEC' },
        { field: 'labels', value: 'rhythmx-INC-1' },
      ],
    });
  });

  test.each([
    ['an unknown field', 'labelz = "x"', /Field 'labelz' does not exist/],
    ['an operator it does not know', 'labels in ("x")', /unable to parse/],
  ])('answers %s with an error', (_name, jql, message) => {
    const parsed = parseJql(jql);
    expect('error' in parsed && parsed.error).toMatch(message);
  });

  test('matches labels exactly and projects by key', () => {
    const parsed = parseJql('project = sec AND labels = "a" ORDER BY created DESC');
    if ('error' in parsed) throw new Error(parsed.error);
    const issue = { id: '1', key: 'SEC-1', projectKey: 'SEC', labels: ['a', 'b'] };
    expect(jqlMatches(parsed.clauses, issue)).toBe(true);
    expect(jqlMatches(parsed.clauses, { ...issue, labels: ['ab'] })).toBe(false);
  });
});

describe('parseEncodedQuery', () => {
  const fields = new Set(['correlation_id', 'sys_created_on', 'name']);

  test('keeps known terms and the ordering', () => {
    expect(parseEncodedQuery('correlation_id=rhythmx:INC-1^ORDERBYDESCsys_created_on', fields)).toEqual({
      terms: [{ field: 'correlation_id', op: '=', value: 'rhythmx:INC-1' }],
      orderBy: [{ field: 'sys_created_on', desc: true }],
    });
  });

  test('drops an unknown field silently, as the platform does', () => {
    expect(parseEncodedQuery('correlaton_id=x', fields).terms).toEqual([]);
  });

  test('reads ^^ as a literal caret', () => {
    expect(parseEncodedQuery('name=A^^B', fields).terms).toEqual([{ field: 'name', op: '=', value: 'A^B' }]);
  });

  test('matches and orders', () => {
    const rows = [{ name: 'b', sys_created_on: '1' }, { name: 'a', sys_created_on: '2' }];
    expect(queryMatches([{ field: 'name', op: 'STARTSWITH', value: 'a' }], rows[1] as Record<string, string>)).toBe(true);
    expect(orderRecords(rows, [{ field: 'sys_created_on', desc: true }]).map((r) => r.name)).toEqual(['a', 'b']);
  });
});
