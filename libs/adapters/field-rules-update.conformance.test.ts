import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Incident } from '@rhx/domain';
import { SECURITY_PROJECT_FIELDS, startJiraSimulator, startServiceNowSimulator, type JiraSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { loadIncidentFixture } from './incident.fixtures.js';
import { createAdapter } from './registry.js';

// Field rules with `onUpdate: true` set again on an update, against the simulators: only what changed,
// checked against Jira's edit screen (editmeta), labels only added, an assignee set by hand left alone.
const OPTIONS = { httpTimeoutMs: 5000 };
const TOKEN = 'jira-update-rules-token';
const SEVERITY = { field: 'customfield_10050', value: '{{severity}}', map: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' }, onUpdate: true };
let n = 0;
const incident = (score: number): Incident => {
  const base = loadIncidentFixture('critical-credential-access');
  return { ...base, id: `UPD-${++n}`, risk: { ...base.risk, score, level: undefined } } as Incident;
};
const rescored = (i: Incident, score: number): Incident => ({ ...i, risk: { ...i.risk, score } });

describe.each(['cloud', 'server'] as const)('Jira %s', (deployment) => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    // The edit screen lacks Region (customfield_10057): a rule for it cannot be set on an update.
    const editFields = [...SECURITY_PROJECT_FIELDS.filter((f) => f.fieldId !== 'customfield_10057')];
    sim = await startJiraSimulator({ deployment, projects: ['SEC'], ...(deployment === 'cloud' ? { email: 'soc@acme.test' } : {}), apiToken: TOKEN, fields: SECURITY_PROJECT_FIELDS,
      editFields: [...editFields, ...['priority', 'labels', 'assignee'].map((id) => ({ fieldId: id, name: id, required: false, schema: { type: id === 'labels' ? 'array' : id === 'assignee' ? 'user' : 'priority', ...(id === 'labels' ? { items: 'string' } : {}), system: id } }))] } as Parameters<typeof startJiraSimulator>[0]);
  });
  afterAll(() => sim.close());
  const adapter = (rules: unknown[]) => createAdapter('jira', {
    deployment, baseUrl: sim.url, ...(deployment === 'cloud' ? { email: 'soc@acme.test' } : {}), apiToken: TOKEN, projectKey: 'SEC',
    fields: [SEVERITY, { field: 'components', value: 'SOC' }, ...rules],
  }, OPTIONS);
  const edits = (id: string) => sim.requests().filter((r) => r.method === 'PUT' && r.path.endsWith(`/issue/${id}`) && r.body.includes('customfield_'));

  test('a changed severity is set again; an unchanged one sends no edit', async () => {
    const a = adapter([]);
    const first = incident(75);
    const ref = await a.createTicket(await a.prepareCreate(first));
    expect(sim.issues().find((i) => i.id === ref.remoteId)!.fields.customfield_10050).toEqual({ value: 'High' });
    expect(await a.updateFields!(ref, rescored(first, 95))).toEqual({ set: ['customfield_10050'], skipped: [] });
    expect(sim.issues().find((i) => i.id === ref.remoteId)!.fields.customfield_10050).toEqual({ value: 'Critical' });
    expect(await a.updateFields!(ref, rescored(first, 97))).toEqual({ set: [], skipped: [] });
    expect(edits(ref.remoteId)).toHaveLength(1);
  });

  test('a labels rule adds its labels and never touches the dedup label', async () => {
    const a = adapter([{ field: 'labels', value: 'sev-{{severity}}', onUpdate: true }]);
    const first = incident(75);
    const ref = await a.createTicket(await a.prepareCreate(first));
    await a.updateFields!(ref, rescored(first, 95));
    expect(sim.issues().find((i) => i.id === ref.remoteId)!.fields.labels).toEqual(expect.arrayContaining([`rhythmx-${first.id}`, 'sev-HIGH', 'sev-CRITICAL']));
  });

  test('an assignee someone set by hand stays; a field the edit screen lacks is skipped, reported, and fails nothing', async () => {
    const a = adapter([{ field: 'assignee', value: 'rhythmx-bot', onUpdate: true }, { field: 'customfield_10057', value: 'EMEA / Paris', onUpdate: true }]);
    const first = incident(75);
    const ref = await a.createTicket(await a.prepareCreate(first));
    await fetch(`${sim.url}/rest/api/${deployment === 'cloud' ? 3 : 2}/issue/${ref.remoteId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: deployment === 'cloud' ? `Basic ${Buffer.from(`soc@acme.test:${TOKEN}`).toString('base64')}` : `Bearer ${TOKEN}` },
      body: JSON.stringify({ fields: { assignee: deployment === 'cloud' ? { accountId: 'analyst-7' } : { name: 'analyst-7' } } }),
    });
    const result = await a.updateFields!(ref, rescored(first, 95));
    expect(result.set).toEqual(['customfield_10050']);
    expect(result.skipped).toEqual([
      { field: 'customfield_10057', reason: 'not on the edit screen' },
      { field: 'assignee', reason: 'assigned by hand; left as it is' },
    ]);
    const assignee = sim.issues().find((i) => i.id === ref.remoteId)!.fields.assignee as Record<string, string>;
    expect(Object.values(assignee)).toEqual(['analyst-7']);
    // The update itself (priority and note) still lands.
    await expect(a.addUpdate(ref, 'risk rose', 'CRITICAL')).resolves.toBeUndefined();
  });

  test('an edit the remote refuses (400) is left out with its reason; the update still lands', async () => {
    const a = adapter([]);
    const first = incident(75);
    const ref = await a.createTicket(await a.prepareCreate(first));
    sim.faults.next(1, { status: 400, method: 'PUT', path: `/issue/${ref.remoteId}`, body: { errorMessages: [], errors: { customfield_10050: 'Option value \'Critical\' is not valid' } } });
    const result = await a.updateFields!(ref, rescored(first, 95));
    expect(result.set).toEqual([]);
    expect(result.skipped).toEqual([{ field: 'customfield_10050', reason: expect.stringContaining("Option value 'Critical' is not valid") }]);
    await expect(a.addUpdate(ref, 'risk rose', 'CRITICAL')).resolves.toBeUndefined();
  });

  test('without onUpdate rules there is nothing to call', () => {
    const a = createAdapter('jira', { deployment, baseUrl: sim.url, ...(deployment === 'cloud' ? { email: 'soc@acme.test' } : {}), apiToken: TOKEN, projectKey: 'SEC', fields: [{ ...SEVERITY, onUpdate: false }, { field: 'components', value: 'SOC' }] }, OPTIONS);
    expect(a.updateFields).toBeUndefined();
  });
});

describe('ServiceNow', () => {
  let sim: ServiceNowSimulator;
  const USERS = { 'rhythmx.bot': 'b'.repeat(32), 'analyst.7': 'a'.repeat(32) };
  beforeAll(async () => {
    sim = await startServiceNowSimulator({ username: 'rhythmx', password: 'pw-update-rules', groups: {}, instance: { customColumns: ['u_severity'], users: USERS } });
  });
  afterAll(() => sim.close());
  const adapter = () => createAdapter('servicenow', {
    instanceUrl: sim.url, username: 'rhythmx', password: 'pw-update-rules',
    fields: [{ field: 'u_severity', value: '{{severity}}', onUpdate: true }, { field: 'assigned_to', value: 'rhythmx.bot', onUpdate: true }, { field: 'subcategory', value: 'intrusion' }],
  }, OPTIONS);

  test('changed columns are PATCHed again, unchanged ones and an assignee chosen by hand are left', async () => {
    const a = adapter();
    const first = incident(75);
    const ref = await a.createTicket(await a.prepareCreate(first));
    expect(sim.incidents().find((r) => r.sys_id === ref.remoteId)!.columns).toMatchObject({ u_severity: 'HIGH', assigned_to: USERS['rhythmx.bot'] });
    sim.setColumn(ref.remoteId, 'assigned_to', USERS['analyst.7']);
    expect(await a.updateFields!(ref, rescored(first, 95))).toEqual({ set: ['u_severity'], skipped: [{ field: 'assigned_to', reason: 'assigned by hand; left as it is' }] });
    expect(sim.incidents().find((r) => r.sys_id === ref.remoteId)!.columns).toMatchObject({ u_severity: 'CRITICAL', assigned_to: USERS['analyst.7'], subcategory: 'intrusion' });
    expect(await a.updateFields!(ref, rescored(first, 96))).toEqual({ set: [], skipped: [{ field: 'assigned_to', reason: 'assigned by hand; left as it is' }] });
  });
});
