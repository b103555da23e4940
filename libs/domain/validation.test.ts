import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { fieldProblems, queryInteger, rowIdCursor } from './validation.js';

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

describe('rowIdCursor', () => {
  const history = rowIdCursor('h');
  test('gives back the id it was made from, as an opaque url-safe text', () => {
    const text = history.encode(9_007_199_254_740_993n);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(history.decode(text)).toBe(9_007_199_254_740_993n);
  });
  test('refuses another list’s cursor, an edited one, a zero or negative id and one past bigint', () => {
    expect(history.decode(rowIdCursor('a').encode(5n))).toBeUndefined();
    expect(history.decode(history.encode(5n).slice(0, -1) + '!')).toBeUndefined();
    expect(history.decode(Buffer.from('h0').toString('base64url'))).toBeUndefined();
    expect(history.decode(Buffer.from('h-5').toString('base64url'))).toBeUndefined();
    expect(history.decode(Buffer.from('h9223372036854775808').toString('base64url'))).toBeUndefined();
    expect(history.decode(Buffer.from('h9223372036854775807').toString('base64url'))).toBe(9_223_372_036_854_775_807n);
  });
});
