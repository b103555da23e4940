import { describe, expect, test } from '@jest/globals';
import { serviceNowConfigSchema } from './servicenow.config.js';

const base = { username: 'rhythmx', password: 'pw' };

describe('serviceNowConfigSchema', () => {
  test.each([
    ['a host means https', 'acme.service-now.com', 'https://acme.service-now.com'],
    ['a whole URL is kept', 'http://127.0.0.1:9102', 'http://127.0.0.1:9102'],
    ['a trailing slash goes', 'https://acme.service-now.com/', 'https://acme.service-now.com'],
    ['spaces go', '  acme.service-now.com ', 'https://acme.service-now.com'],
  ])('%s', (_name, instanceUrl, expected) => {
    expect(serviceNowConfigSchema.parse({ ...base, instanceUrl }).instanceUrl).toBe(expected);
  });

  test.each([
    ['an empty instance', { ...base, instanceUrl: '' }, 'instanceUrl'],
    ['an instance with user info', { ...base, instanceUrl: 'admin:pw@acme.service-now.com' }, 'instanceUrl'],
    ['an instance URL with a query', { ...base, instanceUrl: 'https://acme.service-now.com/?x' }, 'instanceUrl'],
    ['an instance URL with a fragment', { ...base, instanceUrl: 'https://acme.service-now.com#x' }, 'instanceUrl'],
    ['no password', { instanceUrl: 'x.service-now.com', username: 'u', password: '' }, 'password'],
    ['an empty group name', { ...base, instanceUrl: 'x.service-now.com', assignmentGroup: ' ' }, 'assignmentGroup'],
  ])('refuses %s', (_name, input, path) => {
    const result = serviceNowConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
