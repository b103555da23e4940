import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { OpenApiDocument } from '../apps/api/src/openapi/openapi-document.js';
import { auth, readFixture, startHarness, type Harness } from './harness.js';
import { documentedOperations, jsonSchemaValidator } from './openapi.helpers.js';

// The document states the rules the server enforces without looking at anything stored: a body valid by
// the document's JSON Schema is accepted, and one the document refuses is refused by the server too.
let h: Harness;
let document: OpenApiDocument;

beforeAll(async () => {
  h = await startHarness();
  document = (await h.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
});
afterAll(async () => h.close());

type Route = 'PUT /v1/integrations/{system}' | 'PUT /v1/auto-push' | 'POST /v1/incidents';
const URLS: Record<Route, [method: 'PUT' | 'POST', url: string]> = {
  'PUT /v1/integrations/{system}': ['PUT', '/v1/integrations/SYSTEM'],
  'PUT /v1/auto-push': ['PUT', '/v1/auto-push'],
  'POST /v1/incidents': ['POST', '/v1/incidents'],
};

/** The document's verdict on `body` for `route` (its problems), and the server's status for it. */
async function judge(route: Route, body: unknown, system = 'jira') {
  const schema = documentedOperations(document).get(route)!.requestBody!.content['application/json']!.schema;
  const problems = jsonSchemaValidator(document)(schema, body);
  const [method, url] = URLS[route];
  const res = await h.app.inject({ method, url: url.replace('SYSTEM', system), headers: auth, payload: body as object });
  return { problems, status: res.statusCode, answer: res.json() };
}

const incident = (id: string, change: Record<string, unknown>) => ({ ...readFixture('low-minimal.json'), id, ...change });

describe('valid by the document: accepted', () => {
  test.each([
    ['jira, URL with a context path and port, a key with _', 'PUT /v1/integrations/{system}', { baseUrl: 'http://127.0.0.1:9/jira', projectKey: 'SOC_2', issueType: 'Bug 😀' }, 'jira'],
    ['jira, padded text', 'PUT /v1/integrations/{system}', { email: '  bot@acme.example ', deployment: 'server' }, 'jira'],
    ['servicenow, a bare host and port', 'PUT /v1/integrations/{system}', { instanceUrl: '127.0.0.1:9102', username: 'svc', assignmentGroup: 'SOC L2' }, 'servicenow'],
    ['auto-push, both targets', 'PUT /v1/auto-push', { enabled: false, minSeverity: 'HIGH', targets: ['servicenow', 'jira'] }, 'jira'],
    ['an incident at the first storable instant', 'POST /v1/incidents', incident('DOC-OK-1', { createdAt: '0001-01-01T00:00:00Z' }), 'jira'],
    ['an incident at the last storable instant, with an emoji', 'POST /v1/incidents', incident('DOC-OK-2', { createdAt: '9999-12-31T23:59:59.999Z', notes: 'ok 😀' }), 'jira'],
  ] as const)('%s', async (_what, route, body, system) => {
    const { problems, status } = await judge(route, body, system);
    expect(problems).toEqual([]);
    expect([200, 202]).toContain(status);
  });
});

describe('invalid by the document: refused with the field named', () => {
  test.each([
    ['a lowercase project key', 'PUT /v1/integrations/{system}', { projectKey: 'sec' }, 'projectKey'],
    ['NUL in a setting', 'PUT /v1/integrations/{system}', { issueType: 'Bug\u0000' }, 'issueType'],
    ['an unpaired surrogate in a secret', 'PUT /v1/integrations/{system}', { apiToken: 'tok\uD800' }, 'apiToken'],
    ['a URL with user info', 'PUT /v1/integrations/{system}', { baseUrl: 'https://bot@jira.example' }, 'baseUrl'],
    ['a URL with a query', 'PUT /v1/integrations/{system}', { baseUrl: 'https://jira.example/?a=1' }, 'baseUrl'],
    ['a blank setting', 'PUT /v1/integrations/{system}', { email: '   ' }, 'email'],
    ['a target twice', 'PUT /v1/auto-push', { enabled: true, minSeverity: 'HIGH', targets: ['jira', 'jira'] }, 'targets'],
    ['an incident in year 0000', 'POST /v1/incidents', incident('DOC-BAD-1', { createdAt: '0000-01-01T00:00:00Z' }), 'createdAt'],
    ['an unpaired surrogate in an incident', 'POST /v1/incidents', incident('DOC-BAD-2', { notes: '\uDC00' }), 'notes'],
  ] as const)('%s', async (_what, route, body, field) => {
    const { problems, status, answer } = await judge(route, body);
    expect(problems).not.toEqual([]);
    expect(status).toBe(400);
    expect(answer.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });
});

test('the stored-state rule is in the text: a secret is needed again when the URL or identity changes', () => {
  const put = documentedOperations(document).get('PUT /v1/integrations/{system}')! as unknown as { description: string };
  expect(put.description).toMatch(/must carry the secret again/);
});
