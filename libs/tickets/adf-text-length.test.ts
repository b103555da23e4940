import { describe, expect, test } from '@jest/globals';
import { renderJiraAdf } from './adf.renderer.js';
import { adfNodesText, adfNodesTextLength, type AdfNode } from './adf.types.js';
import { loadFixtures } from './fixtures.test-helper.js';

// The size limit counts with adfNodesTextLength; it must be the length of the text previews show.
describe('adfNodesTextLength is the length of adfNodesText', () => {
  test.each(loadFixtures().flatMap(([name, incident]) => [500, 3_000, undefined].map((maxChars) => [name, maxChars, incident] as const)))(
    '%s rendered with maxChars %s',
    (_name, maxChars, incident) => {
      const doc = renderJiraAdf(incident, maxChars === undefined ? {} : { maxChars });
      expect(doc.content.length).toBeGreaterThan(0);
      expect(adfNodesTextLength(doc.content)).toBe(adfNodesText(doc.content).length);
      for (const node of doc.content) expect(adfNodesTextLength([node])).toBe(adfNodesText([node]).length);
    },
  );

  const cases: Array<[string, AdfNode[]]> = [
    ['nothing', []],
    ['empty paragraph', [{ type: 'paragraph', content: [] }]],
    ['hard break and text', [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'bc' }] }]],
    ['list of two', [{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] }, { type: 'listItem', content: [{ type: 'paragraph', content: [] }] }] }]],
    ['astral text', [{ type: 'paragraph', content: [{ type: 'text', text: '👍🏽 ok' }] }]],
    // Node types read back from Jira that tickets never emit.
    ['unknown nodes', [{ type: 'paragraph', content: [{ type: 'mention', attrs: { id: '1' }, text: '@Ann' }, { type: 'emoji', content: [{ type: 'text', text: ':)' }] }, { type: 'inlineCard' }] } as unknown as AdfNode]],
  ];
  test.each(cases)('%s', (_name, nodes) => {
    expect(adfNodesTextLength(nodes)).toBe(adfNodesText(nodes).length);
  });
});
