import { describe, expect, test } from '@jest/globals';
import { InvalidInputError } from '@rhx/domain';
import { INTEGRATION_BODY_SCHEMAS, SETTING_TEXT, parseIntegrationBody } from './integration-body.schema.js';
import { SYSTEM_FIELDS } from './system-fields.js';

const problemPaths = (fn: () => unknown): string[] => {
  try {
    fn();
    return [];
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    return err.problems.map((p) => p.path);
  }
};

describe('INTEGRATION_BODY_SCHEMAS', () => {
  test('each profile takes exactly its fields and `enabled`', () => {
    for (const [profile, fields] of Object.entries(SYSTEM_FIELDS)) {
      expect(Object.keys(INTEGRATION_BODY_SCHEMAS[profile as keyof typeof SYSTEM_FIELDS].shape).sort()).toEqual(['enabled', ...fields.visible, ...fields.secret].sort());
    }
  });

  // Every field, secret or not: PostgreSQL cannot store U+0000, and an unpaired surrogate has no UTF-8 form.
  const cases = Object.entries(SYSTEM_FIELDS).flatMap(([profile, f]) =>
    [...f.visible, ...f.secret].filter((k) => k !== 'deployment').flatMap((field) =>
      [['NUL', 'a\u0000b'], ['a lone surrogate', 'a\uD800'], ['a lone low surrogate', '\uDC00b']].map(([what, value]) => [profile, field, what, value] as const),
    ),
  );
  test.each(cases)('%s.%s with %s is refused, naming the field', (profile, field, _what, value) => {
    const system = profile === 'jira' ? 'jira' : 'servicenow';
    expect(problemPaths(() => parseIntegrationBody(system, profile as keyof typeof SYSTEM_FIELDS, { [field]: value }))).toEqual([field]);
  });

  test.each([
    ['jira', { projectKey: 'sec' }, 'projectKey'],
    ['jira', { baseUrl: 'https://user@jira.example' }, 'baseUrl'],
    ['jira', { baseUrl: 'jira.example' }, 'baseUrl'],
    ['jira', { email: '   ' }, 'email'],
    ['jira', { colour: 'red' }, 'colour'],
    ['servicenow', { instanceUrl: 'https://acme.service-now.com?x=1' }, 'instanceUrl'],
    ['proactive', { appId: 'a:b' }, 'appId'],
    ['proactive', { source: 'caf\u00e9' }, 'source'],
    ['proactive', { table: 't'.repeat(81) }, 'table'],
  ] as const)('%s %j is refused naming %s', (profile, body, field) => {
    expect(problemPaths(() => parseIntegrationBody(profile === 'jira' ? 'jira' : 'servicenow', profile, body))).toEqual([field]);
  });

  test.each([
    ['jira', { baseUrl: ' https://jira.example/jira ', projectKey: 'SEC_2', email: 'bot@acme.example', apiToken: 'tok 😀' }],
    ['servicenow', { instanceUrl: 'acme.service-now.com', username: 'svc', password: 'p', assignmentGroup: 'SOC L2' }],
    ['proactive', { baseUrl: 'http://127.0.0.1:9/api', appId: 'rhx', secret: 's', source: 'Managed_services', serviceIdentifier: 'ACME' }],
  ] as const)('%s takes %j', (profile, body) => {
    expect(problemPaths(() => parseIntegrationBody(profile === 'jira' ? 'jira' : 'servicenow', profile, body))).toEqual([]);
  });

  test('SETTING_TEXT gives the same answer before and after trimming', () => {
    for (const value of ['a', ' a ', '   ', '', ' \u0000', 'a\uD800', '\t😀\n', '\u00a0x']) {
      expect([value, SETTING_TEXT.test(value)]).toEqual([value, SETTING_TEXT.test(value.trim())]);
    }
  });
});
