import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SECURITY_PROJECT_FIELDS, startJiraSimulator, startServiceNowSimulator, type JiraSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { readFixture, startHarness, type Harness, apiCaller } from './harness.js';

// Issue 14's "done when", fields part: a project and an instance that require fields of their own.
const JIRA_TOKEN = 'jira-secret-token-fr91';
const SNOW_PASSWORD = 'snow-secret-password-fr72';
const CALLER_SYS_ID = 'c'.repeat(32);

let h: Harness;
let jira: JiraSimulator;
let snow: ServiceNowSimulator;
const { call } = apiCaller(() => h);

const JIRA_RULES = [
  { field: 'customfield_10050', value: '{{severity}}', map: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' } },
  { field: 'components', value: 'SOC' },
  { field: 'customfield_10051', value: '{{actor.name}} ({{actor.type}})' },
  { field: 'labels', value: 'soc-triage' },
];
const SNOW_RULES = [
  { field: 'category', value: 'security' },
  { field: 'caller_id', value: 'rhythmx.integration' },
  { field: 'u_rhythmx_tactics', value: '{{mitre.tactics}}' },
];

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: JIRA_TOKEN, fields: SECURITY_PROJECT_FIELDS });
  snow = await startServiceNowSimulator({
    username: 'rhx.bot', password: SNOW_PASSWORD, groups: {},
    instance: { customColumns: ['u_rhythmx_tactics'], mandatory: ['category', 'caller_id'], users: { 'rhythmx.integration': CALLER_SYS_ID } },
  });
  h = await startHarness();
  h.startIngestWorker();
  h.startPushWorker();
  await call('PUT', '/v1/integrations/jira', { enabled: true, baseUrl: jira.url, deployment: 'cloud', email: 'bot@acme.example', apiToken: JIRA_TOKEN, projectKey: 'SEC' });
  await call('PUT', '/v1/integrations/servicenow', { enabled: true, instanceUrl: snow.url, username: 'rhx.bot', password: SNOW_PASSWORD });
});
afterAll(async () => {
  await h.close();
  await jira.close();
  await snow.close();
});

describe('checked before the first push', () => {
  test('Test Connection names each required field without a rule, in the remote\'s own names', async () => {
    const j = (await call('POST', '/v1/integrations/jira/test')).json();
    expect(j.ok).toBe(false);
    expect(j.problems).toEqual([
      { field: 'customfield_10050', message: 'Security Severity (customfield_10050) is required: add a rule' },
      { field: 'components', message: 'Components (components) is required: add a rule' },
    ]);
    const s = (await call('POST', '/v1/integrations/servicenow/test')).json();
    expect(s.ok).toBe(false);
    // `category` is mandatory too, but the bridge sets it (`security`) unless a rule says otherwise.
    expect(s.problems).toEqual([{ field: 'caller_id', message: 'Caller (caller_id) is mandatory: add a rule' }]);
    expect(s.message).toContain('Caller (caller_id) is mandatory: add a rule');
  });

  test('saving rules with problems stores them and answers the problems; fixing them clears the test', async () => {
    const bad = await call('PUT', '/v1/integrations/jira', { fields: [{ field: 'customfield_10050', value: 'Severe' }, { field: 'customfield_99', value: '{{actor.nickname}}' }] });
    expect(bad.statusCode).toBe(200);
    expect(bad.json().settings.fields).toEqual([{ field: 'customfield_10050', value: 'Severe' }, { field: 'customfield_99', value: '{{actor.nickname}}' }]);
    expect(bad.json().problems).toEqual([
      { field: 'components', message: 'Components (components) is required: add a rule' },
      { field: 'customfield_10050', message: '"Severe" is not an allowed value of Security Severity (customfield_10050); allowed: Critical, High, Medium, Low' },
      { field: 'customfield_99', message: 'customfield_99 is not on the create screen: add it there or remove the rule' },
      { field: 'customfield_99', message: 'the rule\'s value "{{actor.nickname}}" is not a field of the incident' },
    ]);
    const good = await call('PUT', '/v1/integrations/jira', { fields: JIRA_RULES });
    expect(good.json().problems).toEqual([]);
    expect((await call('PUT', '/v1/integrations/servicenow', { fields: SNOW_RULES })).json().problems).toEqual([]);
    expect((await call('POST', '/v1/integrations/jira/test')).json()).toMatchObject({ ok: true, problems: [] });
    expect((await call('POST', '/v1/integrations/servicenow/test')).json()).toMatchObject({ ok: true, problems: [] });
  });

  test('a rule naming the bridge\'s own field or a second rule for one field is a 400 naming it', async () => {
    const res = await call('PUT', '/v1/integrations/jira', { fields: [{ field: 'summary', value: 'x' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual({ path: 'fields[0].field', message: '"summary" is set by the bridge itself; it cannot have a rule' });
  });
});

describe('a HIGH incident in a customised project and instance', () => {
  test('one ticket each, with the values the rules give; the preview shows them first', async () => {
    const incident = { ...readFixture('high-lateral-movement.json'), id: 'INC-FIELDS-1' } as { id: string; actor: { name: string; type: string } };
    expect((await call('POST', '/v1/incidents', incident)).statusCode).toBe(202);
    await h.eventually(async () => (await call('GET', '/v1/incidents/INC-FIELDS-1')).statusCode === 200);
    const preview = (await call('GET', '/v1/incidents/INC-FIELDS-1/ticket-preview?target=jira')).json();
    expect(preview.body.fields).toMatchObject({ customfield_10050: { value: 'High' }, components: [{ name: 'SOC' }] });
    for (const target of ['jira', 'servicenow']) expect((await call('POST', '/v1/incidents/INC-FIELDS-1/tickets', { target })).statusCode).toBe(202);
    const tickets = await h.eventually(async () => {
      const t = (await call('GET', '/v1/incidents/INC-FIELDS-1')).json().tickets as unknown[];
      return t.length === 2 ? t : undefined;
    });
    expect(tickets).toHaveLength(2);
    expect(jira.issues()).toHaveLength(1);
    const fields = jira.issues()[0]!.fields as Record<string, unknown>;
    expect(fields).toMatchObject({ customfield_10050: { value: 'High' }, components: [{ name: 'SOC' }], priority: { name: 'High' } });
    expect(fields.customfield_10051).toBe(`${incident.actor.name} (${incident.actor.type})`);
    expect(fields.labels).toEqual(expect.arrayContaining(['rhythmx-INC-FIELDS-1', 'soc-triage']));
    expect(snow.incidents()).toHaveLength(1);
    const record = snow.incidents()[0]!;
    expect(record.category).toBe('security');
    expect(record.columns).toMatchObject({ caller_id: CALLER_SYS_ID, u_rhythmx_tactics: expect.stringContaining('Lateral Movement') });
    expect(record.priority).toBe('2');
  });

  test('a rule with onUpdate is set again when the risk changes it; the history says so', async () => {
    await call('PUT', '/v1/integrations/jira', { fields: JIRA_RULES.map((r) => (r.field === 'customfield_10050' ? { ...r, onUpdate: true } : r)) });
    expect((await call('POST', '/v1/incidents/INC-FIELDS-1/risk', { score: 96, reason: 'exfiltration rule fired' })).statusCode).toBe(202);
    await h.eventually(async () => (jira.issues()[0]!.fields as Record<string, unknown>).customfield_10050 !== undefined
      && JSON.stringify((jira.issues()[0]!.fields as Record<string, unknown>).customfield_10050) === '{"value":"Critical"}');
    // The history row is written when the update settles, just after Jira has the field.
    const updates = async () => ((await call('GET', '/v1/incidents/INC-FIELDS-1/history?limit=200')).json().items as { action: string; message: string }[])
      .filter((r) => r.action === 'TICKET_UPDATED' && r.message.startsWith('jira')).map((r) => r.message);
    await h.eventually(async () => (await updates()).length > 0);
    expect(await updates()).toEqual([expect.stringContaining('; fields set again: customfield_10050')]);
    expect((jira.issues()[0]!.fields as Record<string, unknown>).priority).toEqual({ name: 'Highest' });
    await call('PUT', '/v1/integrations/jira', { fields: JIRA_RULES });
  });

  test('without the rules, the data policy refusal fails the delivery at once, permanently, naming the fields', async () => {
    await call('PUT', '/v1/integrations/servicenow', { fields: [] });
    const incident = { ...readFixture('high-lateral-movement.json'), id: 'INC-FIELDS-2' };
    await call('POST', '/v1/incidents', incident);
    await h.eventually(async () => (await call('GET', '/v1/incidents/INC-FIELDS-2')).statusCode === 200);
    await call('POST', '/v1/incidents/INC-FIELDS-2/tickets', { target: 'servicenow' });
    const delivery = await h.eventually(async () => {
      const d = (await call('GET', '/v1/deliveries?incidentId=INC-FIELDS-2')).json().items[0];
      return d?.status === 'FAILED' ? d : undefined;
    });
    expect(delivery.attempts).toBe(1);
    expect(delivery.lastErrorCode).toBe('CONFIGURATION');
    expect(delivery.lastError).toContain('Data Policy Exception: the following fields are mandatory: Caller');
    await call('PUT', '/v1/integrations/servicenow', { fields: SNOW_RULES });
  });
});
