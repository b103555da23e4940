import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { fieldProblems, queryInteger } from './validation.js';

describe('queryInteger', () => {
  const query = z.object({ limit: queryInteger(1, 200, 50) });

  test.each([
    ['16', 16],
    ['1', 1],
    ['200', 200],
    ['007', 7],
  ])('reads %j as %d', (text, value) => {
    expect(query.parse({ limit: text })).toEqual({ limit: value });
  });

  test('is the default when absent', () => {
    expect(query.parse({})).toEqual({ limit: 50 });
  });

  test.each(['0x10', '1e1', '5.0', ' 5', '5 ', '+5', '-1', '', 'Infinity', '0', '201', '9'.repeat(30), ['1', '2']])('refuses %j, naming limit', (text) => {
    const result = query.safeParse({ limit: text });
    expect(result.success ? [] : fieldProblems(result.error).map((p) => p.path)).toEqual(['limit']);
  });

  test('the JSON Schema is an integer with its bounds and default', () => {
    expect(z.toJSONSchema(query, { io: 'input' }).properties).toEqual({ limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } });
  });
});
