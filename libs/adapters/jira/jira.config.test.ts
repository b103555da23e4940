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
    ['no token', { ...cloud, apiToken: '' }, 'apiToken'],
    ['a lower-case project key', { ...cloud, projectKey: 'sec' }, 'projectKey'],
    ['an unknown deployment', { ...cloud, deployment: 'datacenter' }, 'deployment'],
  ])('refuses %s', (_name, input, path) => {
    const result = jiraConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  test('Server accepts no email (personal access token)', () => {
    expect(jiraConfigSchema.safeParse({ ...cloud, deployment: 'server', email: undefined }).success).toBe(true);
  });
});
