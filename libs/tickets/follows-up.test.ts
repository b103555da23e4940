import { describe, expect, test } from '@jest/globals';
import { renderJiraAdf } from './adf.renderer.js';
import { adfToText } from './adf.types.js';
import { renderEnrichedDescription } from './enriched-description.js';
import { loadFixtures } from './fixtures.test-helper.js';
import { renderPlainText } from './plain-text.renderer.js';
import { renderJiraWiki } from './wiki.renderer.js';

// A follow-up ticket (the next generation, made when a rise found the earlier ticket closed for good)
// names and links the ticket it follows before anything else, in every format; other tickets do not.
const [, incident] = loadFixtures().find(([name]) => name === 'high-lateral-movement.json')!;
const followsUp = { externalId: 'INC0010042', url: 'https://acme.service-now.com/nav_to.do?uri=incident.do?sys_id=abc' };
const LINE = "INC0010042, closed before the incident's risk rose again";

const formats: [string, (o: { followsUp?: typeof followsUp }) => string][] = [
  ['Jira Cloud ADF', (o) => adfToText(renderJiraAdf(incident, o))],
  ['Jira Data Center wiki', (o) => renderJiraWiki(incident, o)],
  ['ServiceNow plain text', (o) => renderPlainText(incident, o)],
  ['Proactive enriched', (o) => renderEnrichedDescription(incident, o, 32_000)],
];

describe.each(formats)('%s', (_name, render) => {
  test('names and links the ticket it follows, first', () => {
    const text = render({ followsUp });
    expect(text.indexOf(LINE)).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(LINE)).toBeLessThan(200);
    expect(text).toContain('Open INC0010042');
  });

  test('an ordinary ticket says nothing of it', () => {
    expect(render({})).not.toContain('closed before the incident');
  });
});

test('a link that is not http(s) is named without being linked', () => {
  const text = renderPlainText(incident, { followsUp: { externalId: 'SEC-9', url: 'javascript:alert(1)' } });
  expect(text).toContain("SEC-9, closed before the incident's risk rose again");
  expect(text).not.toContain('javascript:');
});
