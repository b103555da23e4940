import { describe, expect, test } from '@jest/globals';
import { adfProblem } from './adf.validator.js';

const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const p = (text: string, marks?: unknown[]) => ({ type: 'paragraph', content: [{ type: 'text', text, ...(marks ? { marks } : {}) }] });
const item = (...content: unknown[]) => ({ type: 'listItem', content });
const cell = (...content: unknown[]) => ({ type: 'tableCell', content });
const table = (...cells: unknown[]) => ({ type: 'table', content: [{ type: 'tableRow', content: cells }] });

describe('adfProblem', () => {
  test.each<[string, unknown, RegExp | null]>([
    ['a valid document', doc({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Risk' }] }, p('x'), { type: 'bulletList', content: [item(p('a'))] }, table(cell(p('c')))), null],
    ['an empty paragraph', doc({ type: 'paragraph', content: [] }), null],
    ['a plain string', 'description', /root/],
    ['version 2', { type: 'doc', version: 2, content: [] }, /version must be 1/],
    ['an empty text node', doc(p('')), /text must be a non-empty string/],
    ['a listItem without a paragraph first', doc({ type: 'bulletList', content: [item({ type: 'bulletList', content: [item(p('x'))] })] }), /first child must be a paragraph/],
    ['an empty list', doc({ type: 'bulletList', content: [] }), /needs at least 1/],
    ['a list holding a paragraph', doc({ type: 'orderedList', content: [p('x')] }), /paragraph is not allowed in orderedList/],
    ['a cell without a block', doc(table(cell())), /tableCell needs at least 1/],
    ['a heading without a level', doc({ type: 'heading', content: [] }), /attrs.level/],
    ['a heading at level 7', doc({ type: 'heading', attrs: { level: 7 }, content: [] }), /attrs.level/],
    ['code with strong', doc(p('x', [{ type: 'code' }, { type: 'strong' }])), /code cannot be combined/],
    ['a link without href', doc(p('x', [{ type: 'link', attrs: {} }])), /attrs.href/],
    ['an unknown node', doc({ type: 'marquee' }), /marquee is not allowed/],
    ['text at the top level', doc({ type: 'text', text: 'x' }), /text is not allowed in doc/],
  ])('%s', (_name, input, expected) => {
    const problem = adfProblem(input);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
