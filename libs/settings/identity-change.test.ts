import { describe, expect, test } from '@jest/globals';
import { identityChangeProblems } from './index.js';

const jira = { baseUrl: 'https://acme.atlassian.net', email: 'bot@acme.test', apiToken: 'stored', projectKey: 'SEC' };
const snow = { instanceUrl: 'https://acme.service-now.com', username: 'bot', password: 'stored' };
const proactive = { baseUrl: 'https://cases.mssp.example/api/proactive/v1', appId: 'rhx', secret: 'stored', serviceIdentifier: 'CI1' };

describe('identity change needs the secret again', () => {
  test.each([
    ['jira', jira, { baseUrl: 'https://evil.example' }, ['apiToken']],
    ['jira', jira, { email: 'other@acme.test' }, ['apiToken']],
    ['jira', jira, { baseUrl: 'https://evil.example', apiToken: 'new' }, []],
    ['jira', jira, { baseUrl: jira.baseUrl, email: jira.email }, []],
    ['jira', jira, { projectKey: 'OPS', deployment: 'server' }, []],
    ['jira', { ...jira, apiToken: undefined }, { baseUrl: 'https://new.example' }, []],
    ['servicenow', snow, { instanceUrl: 'https://evil.example' }, ['password']],
    ['servicenow', snow, { username: 'admin' }, ['password']],
    ['servicenow', snow, { assignmentGroup: 'SOC' }, []],
    ['proactive', proactive, { baseUrl: 'https://evil.example' }, ['secret']],
    ['proactive', proactive, { appId: 'other' }, ['secret']],
    ['proactive', proactive, { appId: 'other', secret: 'new' }, []],
    ['proactive', proactive, { serviceIdentifier: 'CI2', source: 'X', table: 'Case' }, []],
    // The sign-in method and OAuth client are identity too; only the secret the new method sends is asked for.
    ['jira', jira, { auth: 'basic' }, []],
    ['jira', { ...jira, clientSecret: 'stored' }, { auth: 'oauth2-client-credentials' }, ['clientSecret']],
    ['jira', { ...jira, auth: 'oauth2-client-credentials', clientId: 'a', clientSecret: 'stored' }, { clientId: 'b' }, ['clientSecret']],
    ['jira', { ...jira, auth: 'oauth2-client-credentials', clientId: 'a', clientSecret: 'stored' }, { tokenUrl: 'https://evil.example/token' }, ['clientSecret']],
    ['jira', { ...jira, auth: 'oauth2-client-credentials', clientId: 'a', clientSecret: 'stored' }, { auth: 'basic' }, ['apiToken']],
    ['servicenow', { ...snow, clientSecret: 'stored' }, { auth: 'oauth2-password', clientId: 'c' }, ['password', 'clientSecret']],
  ] as const)('%s %j → %j', (system, current, change, paths) => {
    expect(identityChangeProblems(system, current, change).map((p) => p.path)).toEqual(paths);
  });
});
