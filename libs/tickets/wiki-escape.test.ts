import { describe, expect, test } from '@jest/globals';
import { wikiEscape, wikiEscapeUrl, wikiUnescape } from './wiki-escape.js';
import { wikiVisibleText } from './render-checks.test-helper.js';

describe('wikiEscape', () => {
  // Each row: a wiki construct as incident text → the markup that displays it literally.
  const rows: Array<[string, string, string]> = [
    ['plain text', 'j.doe on WKS-01', 'j.doe on WKS\\-01'],
    ['bold', '*bold*', '\\*bold\\*'],
    ['emphasis', '_em_', '\\_em\\_'],
    ['code macro', '{code}x{code}', '\\{code\\}x\\{code\\}'],
    ['noformat macro', '{noformat}x{noformat}', '\\{noformat\\}x\\{noformat\\}'],
    ['color macro', '{color:red}x{color}', '\\{color:red\\}x\\{color\\}'],
    ['link', '[text|http://evil.example]', '\\[text\\|http&#58;//evil.example\\]'],
    ['image', '!image.png!', '\\!image.png\\!'],
    ['heading at line start', 'h1. Title', 'h1&#46; Title'],
    ['indented heading', '  h6. Title', '  h6&#46; Title'],
    ['heading mid-line stays', 'see h1. here', 'see h1. here'],
    ['heading on a later line', 'a\nh3. b', 'a\nh3&#46; b'],
    ['quote', 'bq. quoted', 'bq&#46; quoted'],
    ['horizontal rule', '----', '\\-\\-\\-\\-'],
    ['bullet marker', '* item', '\\* item'],
    ['numbered marker', '# item', '\\# item'],
    ['table header', '||a||b||', '\\|\\|a\\|\\|b\\|\\|'],
    ['monospace', '{{mono}}', '\\{\\{mono\\}\\}'],
    ['citation', '??cite??', '\\?\\?cite\\?\\?'],
    ['strike', '-strike-', '\\-strike\\-'],
    ['insert', '+ins+', '\\+ins\\+'],
    ['superscript', '^sup^', '\\^sup\\^'],
    ['subscript', '~sub~', '\\~sub\\~'],
    ['forced line break', 'a\\\\b', 'a&#92;&#92;b'],
    ['backslash before a special', '\\*', '&#92;\\*'],
    ['lone backslash', 'C:\\temp', 'C:&#92;temp'],
    ['user mention', '[~admin] @here', '\\[\\~admin\\] \\@here'],
    ['emoticons', ':) (y) :D :P', ':\\) \\(y\\) &#58;D &#58;P'],
    ['percent', '100%', '100\\%'],
    ['html entity', '&lt;b&gt; &#92; &amp;', '&amp;lt;b&amp;gt; &amp;\\#92; &amp;amp;'],
    ['bare ampersand stays', 'A & B', 'A & B'],
    ['mailto', 'mailto:x@y', 'mailto&#58;x\\@y'],
    ['html stays (Jira escapes it)', '<script>alert(1)</script>', '<script>alert\\(1\\)</script>'],
    ['unicode and bidi escape', 'Zoë [U+202E]', 'Zoë \\[U\\+202E\\]'],
  ];

  test.each(rows)('%s', (_name, input, expected) => {
    expect(wikiEscape(input)).toBe(expected);
    expect(wikiUnescape(expected)).toBe(input);
  });

  test('every escaped row reads back as clean text', () => {
    for (const [, input] of rows) {
      const { text, problems } = wikiVisibleText(wikiEscape(input));
      expect(problems).toEqual([]);
      expect(text).toBe(input);
    }
  });

  test('round-trips random strings over the hostile alphabet', () => {
    const alphabet = ['-', '#', '*', '_', '+', '?', '^', '~', '|', '%', '{', '}', '[', ']', '(', ')', '!', '@', '\\', '&', ';', ':', '/', '.', 'h', '1', 'b', 'q', 'D', 'P', 'a', ' ', '\n', 'lt', 'amp', '#92', '😀', 'ß'];
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed;
    };
    for (let n = 0; n < 2_000; n += 1) {
      let input = '';
      const length = next() % 30;
      for (let i = 0; i < length; i += 1) input += alphabet[next() % alphabet.length];
      const escaped = wikiEscape(input);
      expect(wikiUnescape(escaped)).toBe(input);
      expect(wikiVisibleText(escaped).problems).toEqual([]);
    }
  });
});

describe('wikiEscapeUrl', () => {
  test.each([
    ['https://rhx.example/incidents/INC-1', 'https://rhx.example/incidents/INC-1'],
    ['https://rhx.example/a|b]c[d', 'https://rhx.example/a%7Cb%5Dc%5Bd'],
    ['https://rhx.example/a b{c}!*', 'https://rhx.example/a%20b%7Bc%7D%21%2A'],
  ])('%s', (input, expected) => {
    expect(wikiEscapeUrl(input)).toBe(expected);
  });
});
