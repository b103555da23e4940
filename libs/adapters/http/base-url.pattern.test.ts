import { describe, expect, test } from '@jest/globals';
import { jiraBaseUrlSchema } from '../jira/jira.config.js';
import { proactiveBaseUrlSchema } from '../proactive/proactive.config.js';
import { serviceNowInstanceUrlSchema } from '../servicenow/servicenow.config.js';
import { BASE_URL_PATTERN, HOST_OR_BASE_URL_PATTERN } from './base-url.pattern.js';

// The pattern is what the OpenAPI document promises: whatever it matches, the adapters' own URL schemas
// (the WHATWG parser behind them) must accept too.
const MATCHING = [
  'https://acme.atlassian.net', 'http://127.0.0.1:9102', 'HTTPS://Jira.Example.COM/jira/', 'https://a-.b-c.d', 'https://x.y/p%zz/q@r\\s',
  'https://0.0.0.0:0', 'https://255.255.255.255:65535', 'https://[::1]:8080', 'https://[2001:db8::]', 'https://[1:2:3:4:5:6:7:8]/x', 'https://[::]',
  'https://a1.b2c', 'https://1-2.a', 'https://localhost', 'https://a.xn-b.com', `https://${'a'.repeat(300)}.example`, 'https://host/\u00e9\u{1F600}',
];
const NOT_MATCHING = [
  'ftp://a.example', 'https://', 'https://user@a.example', 'https://a.example?x', 'https://a.example/#f', 'https://a b.example', 'https://a.example:65536',
  'https://256.1.1.1', 'https://1.2.3.09', 'https://1.2.3.4.5', 'https://0x1f', 'https://a.256', 'https://xn--a.com', 'https://a.example/\u0000',
  'https://a.example/\uD800', ' https://a.example', 'https://[1:2]', 'https://a..example', 'https://a.example.', 'https://[::1',
];

describe('BASE_URL_PATTERN', () => {
  test.each(MATCHING)('%s matches and every adapter URL schema takes it', (url) => {
    expect(BASE_URL_PATTERN.test(url)).toBe(true);
    expect(HOST_OR_BASE_URL_PATTERN.test(url)).toBe(true);
    for (const schema of [jiraBaseUrlSchema, proactiveBaseUrlSchema, serviceNowInstanceUrlSchema]) expect([url, schema.safeParse(url).success]).toEqual([url, true]);
  });

  test.each(NOT_MATCHING)('%j does not match', (url) => {
    expect(BASE_URL_PATTERN.test(url)).toBe(false);
  });

  test.each(MATCHING.map((url) => url.replace(/^https?:\/\//i, '')))('the host form %s matches and ServiceNow takes it', (host) => {
    expect(HOST_OR_BASE_URL_PATTERN.test(host)).toBe(true);
    expect(serviceNowInstanceUrlSchema.safeParse(host).success).toBe(true);
  });
});
