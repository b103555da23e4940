import { describe, expect, test } from '@jest/globals';
import { credentialWarnings } from './index.js';

const NOW = new Date('2027-03-17T09:00:00Z');
const jira = { baseUrl: 'https://acme.atlassian.net', email: 'bot@acme.test', apiToken: 'stored', projectKey: 'SEC' };

describe('an API token with a recorded expiry date warns two weeks ahead', () => {
  test.each([
    ['no date recorded', {}, []],
    ['in 15 days: not yet', { apiTokenExpires: '2027-04-01' }, []],
    ['in 14 days', { apiTokenExpires: '2027-03-31' }, ['The API token expires on 2027-03-31, in 14 days: make a new one and set apiToken and apiTokenExpires before then']],
    ['tomorrow', { apiTokenExpires: '2027-03-18' }, ['The API token expires on 2027-03-18, in 1 day: make a new one and set apiToken and apiTokenExpires before then']],
    ['past', { apiTokenExpires: '2027-03-01' }, ['The API token expired on 2027-03-01: Jira refuses it; set a new apiToken and its apiTokenExpires']],
    ['past, but the sign-in is OAuth (no token used)', { apiTokenExpires: '2027-03-01', auth: 'oauth2-client-credentials' }, []],
  ] as const)('%s', (_what, extra, warnings) => {
    expect(credentialWarnings('jira', { ...jira, ...extra }, NOW)).toEqual(warnings);
  });

  test('systems without an expiring secret never warn', () => {
    expect(credentialWarnings('servicenow', { instanceUrl: 'x', username: 'u', password: 'p', apiTokenExpires: '2000-01-01' }, NOW)).toEqual([]);
  });
});
