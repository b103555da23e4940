import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startJiraSimulator, type JiraSimulator } from './jira.simulator.js';
import { SECURITY_PROJECT_FIELDS } from './jira-screen.js';
import { startServiceNowSimulator, type ServiceNowSimulator } from './servicenow.simulator.js';

// The simulators' customised projects and instances (specs/jira-rest.md and servicenow-table-api.md,
// the sections for issue 14): create metadata, screen rules, workflow transitions, data policies, states.
const TOKEN = 'sim-token-14';
const JIRA_AUTH = `Basic ${Buffer.from(`soc@acme.test:${TOKEN}`).toString('base64')}`;
const SNOW_AUTH = `Basic ${Buffer.from('rhx:pw-14').toString('base64')}`;

async function call(base: string, auth: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

describe.each([['cloud', 3], ['server', 2]] as const)('Jira %s', (deployment, v) => {
  let sim: JiraSimulator;
  const jira = (method: string, path: string, body?: unknown) => call(sim.url, JIRA_AUTH, method, `/rest/api/${v}${path}`, body);
  const base = { project: { key: 'SEC' }, issuetype: { name: 'Task' }, summary: 'x', customfield_10050: { value: 'High' }, components: [{ name: 'SOC' }] };
  beforeAll(async () => {
    sim = await startJiraSimulator({ deployment, projects: ['SEC'], email: 'soc@acme.test', apiToken: TOKEN, fields: SECURITY_PROJECT_FIELDS });
  });
  afterAll(() => sim.close());

  test('createmeta lists the issue types, then the screen\'s fields, paged, in this version\'s shape', async () => {
    const types = await jira('GET', '/issue/createmeta/SEC/issuetypes');
    const list = v === 3 ? types.json!.issueTypes : types.json!.values;
    expect(list.map((t: { name: string }) => t.name)).toEqual(['Task', 'Bug', 'Story', 'Incident']);
    const page = await jira('GET', `/issue/createmeta/SEC/issuetypes/${list[0].id}?startAt=0&maxResults=5`);
    const fields = v === 3 ? page.json!.fields : page.json!.values;
    expect(fields).toHaveLength(5);
    expect(page.json!.total).toBe(8 + SECURITY_PROJECT_FIELDS.length);
    if (v === 2) expect(page.json!.isLast).toBe(false);
    expect((await jira('GET', '/issue/createmeta/NOPE/issuetypes')).status).toBe(404);
  });

  test.each([
    ['a required field missing', { customfield_10050: undefined }, 'customfield_10050', 'Security Severity is required.'],
    ['an option not allowed', { customfield_10050: { value: 'Severe' } }, 'customfield_10050', "Option value 'Severe' is not valid"],
    ['a component not allowed', { components: [{ name: 'Cloud' }] }, 'components', "Option value 'Cloud' is not valid"],
    ['a number as text', { customfield_10053: '91' }, 'customfield_10053', 'Operation value must be a number'],
    ['a date with a time', { customfield_10054: '2026-11-28T10:00:00Z' }, 'customfield_10054', 'Error parsing date string: 2026-11-28T10:00:00Z'],
  ])('a create with %s is refused naming the field', async (_what, change, field, message) => {
    const res = await jira('POST', '/issue', { fields: { ...base, ...change } });
    expect(res.status).toBe(400);
    expect(res.json!.errors[field]).toBe(message);
  });

  test('the workflow: only open transitions are listed; Done needs a resolution; Reopen brings it back', async () => {
    const created = await jira('POST', '/issue', { fields: base });
    const key = created.json!.key as string;
    const open = await jira('GET', `/issue/${key}/transitions?expand=transitions.fields`);
    expect(open.json!.transitions.map((t: { name: string }) => t.name)).toEqual(['Start Progress', 'Done']);
    expect(open.json!.transitions[1].fields.resolution.required).toBe(true);
    expect((await jira('POST', `/issue/${key}/transitions`, { transition: { id: '31' } })).json!.errors).toEqual({ resolution: 'Resolution is required.' });
    expect((await jira('POST', `/issue/${key}/transitions`, { transition: { id: '41' } })).json!.errorMessages).toEqual(["Transition id '41' is not valid for this issue."]);
    const comment = v === 3 ? { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Resolved by RhythmX' }] }] } : 'Resolved by RhythmX';
    expect((await jira('POST', `/issue/${key}/transitions`, { transition: { id: '31' }, fields: { resolution: { name: 'Done' } }, update: { comment: [{ add: { body: comment } }] } })).status).toBe(204);
    const issue = sim.issues().find((i) => i.key === key)!;
    expect(issue.status.category).toBe('done');
    expect(issue.fields.resolution).toEqual({ name: 'Done' });
    expect(issue.comments).toHaveLength(1);
    expect((await jira('GET', `/issue/${key}/transitions`)).json!.transitions.map((t: { name: string }) => t.name)).toEqual(['Reopen']);
    expect((await jira('POST', `/issue/${key}/transitions`, { transition: { id: '41' } })).status).toBe(204);
    expect(sim.issues().find((i) => i.key === key)!.status.category).toBe('new');
  });
});

describe('ServiceNow customised instance', () => {
  let sim: ServiceNowSimulator;
  const snow = (method: string, path: string, body?: unknown) => call(sim.url, SNOW_AUTH, method, path, body);
  beforeAll(async () => {
    sim = await startServiceNowSimulator({ username: 'rhx', password: 'pw-14', groups: {}, instance: { customColumns: ['u_risk'], mandatory: ['caller_id'], users: { 'j.doe': 'd'.repeat(32) } } });
  });
  afterAll(() => sim.close());

  test('a create lacking a mandatory column is a data-policy refusal; unknown columns are dropped silently', async () => {
    const refused = await snow('POST', '/api/now/table/incident', { short_description: 'x' });
    expect(refused).toEqual({ status: 403, json: { error: { message: 'Operation Failed', detail: 'Data Policy Exception: the following fields are mandatory: Caller' }, status: 'failure' } });
    const made = await snow('POST', '/api/now/table/incident', { short_description: 'x', caller_id: 'd'.repeat(32), u_risk: '91', u_unknown: 'dropped' });
    expect(made.status).toBe(201);
    expect(sim.incidents()[0]!.columns).toEqual({ caller_id: 'd'.repeat(32), u_risk: '91' });
  });

  test('the dictionary, choices and users read back as the adapters ask', async () => {
    const dict = await snow('GET', '/api/now/table/sys_dictionary?sysparm_query=name=incident');
    expect(dict.json!.result).toContainEqual({ element: 'caller_id', column_label: 'Caller', mandatory: 'true' });
    const choices = await snow('GET', '/api/now/table/sys_choice?sysparm_query=name=incident^elementINcategory^inactive=false');
    expect(choices.json!.result.map((c: { value: string }) => c.value)).toContain('security');
    const users = await snow('GET', '/api/now/table/sys_user?sysparm_query=user_name=j.doe^ORname=j.doe');
    expect(users.json!.result).toEqual([{ sys_id: 'd'.repeat(32), user_name: 'j.doe' }]);
  });

  test('resolving needs the close fields; a Resolved incident reopens; a Closed one is read-only', async () => {
    const id = sim.incidents()[0]!.sys_id;
    const noClose = await snow('PATCH', `/api/now/table/incident/${id}`, { state: '6' });
    expect(noClose.json!.error.detail).toBe('Data Policy Exception: the following fields are mandatory: Resolution code, Resolution notes');
    expect((await snow('PATCH', `/api/now/table/incident/${id}`, { state: '6', close_code: 'Solution provided', close_notes: 'Contained.' })).status).toBe(200);
    expect((await snow('PATCH', `/api/now/table/incident/${id}`, { state: '2', work_notes: 'Reopened: risk rose to 91.' })).status).toBe(200);
    sim.setState(id, '7');
    const closed = await snow('PATCH', `/api/now/table/incident/${id}`, { work_notes: 'late' });
    expect(closed.status).toBe(403);
    expect(sim.incidents()[0]!.state).toBe('7');
  });
});
