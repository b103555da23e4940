import { describe, expect, test } from '@jest/globals';
import { jiraConfigSchema } from './jira.config.js';

const cloud = { deployment: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'soc@acme.test', apiToken: 'tok', projectKey: 'SEC' };

describe('jiraConfigSchema', () => {
  test('defaults the issue type to Task and strips a trailing slash', () => {
    expect(jiraConfigSchema.parse({ ...cloud, baseUrl: 'https://acme.atlassian.net/' })).toMatchObject({
      baseUrl: 'https://acme.atlassian.net',
      issueType: 'Task',
    });
  });

  test('keeps a context path', () => {
    expect(jiraConfigSchema.parse({ ...cloud, deployment: 'server', baseUrl: 'https://jira.acme.test/jira/' }).baseUrl).toBe('https://jira.acme.test/jira');
  });

  test.each([
    ['Cloud without an email', { ...cloud, email: undefined }, 'email'],
    ['Cloud with an empty email', { ...cloud, email: ' ' }, 'email'],
    ['a non-http URL', { ...cloud, baseUrl: 'ftp://acme' }, 'baseUrl'],
    ['a URL with user info', { ...cloud, baseUrl: 'https://bot:pw@acme.atlassian.net' }, 'baseUrl'],
    ['a URL with an empty query', { ...cloud, baseUrl: 'http://127.0.0.1:18932/x?' }, 'baseUrl'],
    ['a URL with a query', { ...cloud, baseUrl: 'https://acme.atlassian.net/?a=1' }, 'baseUrl'],
    ['a URL with a fragment', { ...cloud, baseUrl: 'https://acme.atlassian.net/#x' }, 'baseUrl'],
    ['no token', { ...cloud, apiToken: '' }, 'apiToken'],
    ['a lower-case project key', { ...cloud, projectKey: 'sec' }, 'projectKey'],
    ['an unknown deployment', { ...cloud, deployment: 'datacenter' }, 'deployment'],
  ])('refuses %s', (_name, input, path) => {
    const result = jiraConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  test('names the rule a base URL with a query breaks', () => {
    const result = jiraConfigSchema.safeParse({ ...cloud, baseUrl: 'https://acme.atlassian.net/jira?' });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['baseUrl'], message: 'must be a base URL without user info, query or fragment' })]);
  });

  test('Server accepts no email (personal access token)', () => {
    expect(jiraConfigSchema.safeParse({ ...cloud, deployment: 'server', email: undefined }).success).toBe(true);
  });
});
