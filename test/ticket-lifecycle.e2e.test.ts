import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { enqueueAnalystStatus } from '@rhx/producer';
import { SECURITY_PROJECT_FIELDS, startJiraSimulator, startServiceNowSimulator, type JiraSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { readFixture, startHarness, type Harness, apiCaller } from './harness.js';
import { syncCycle } from './sync-harness.js';

// Issue 14's "done when", lifecycle part: tickets in a customised Jira project and ServiceNow instance
// follow the incident: closing it resolves both once, a rise reopens both once, a ServiceNow ticket
// closed for good gets a follow-up, and nothing echoes between the sync cycle and a resolve.
const JIRA_TOKEN = 'jira-secret-token-lc33';
const SNOW_PASSWORD = 'snow-secret-password-lc44';
const CALLER_SYS_ID = 'd'.repeat(32);

let h: Harness;
let jira: JiraSimulator;
let snow: ServiceNowSimulator;
const { call } = apiCaller(() => h);

const LIFECYCLE = { resolve: true, reopen: true };

beforeAll(async () => {
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: JIRA_TOKEN, fields: SECURITY_PROJECT_FIELDS });
  snow = await startServiceNowSimulator({
    username: 'rhx.bot', password: SNOW_PASSWORD, groups: {},
    instance: { mandatory: ['category', 'caller_id'], users: { 'rhythmx.integration': CALLER_SYS_ID } },
  });
  h = await startHarness();
  h.startIngestWorker();
  h.startPushWorker();
  await call('PUT', '/v1/integrations/jira', {
    enabled: true, baseUrl: jira.url, deployment: 'cloud', email: 'bot@acme.example', apiToken: JIRA_TOKEN, projectKey: 'SEC',
    fields: [{ field: 'customfield_10050', value: '{{severity}}', map: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' } }, { field: 'components', value: 'SOC' }],
    lifecycle: LIFECYCLE,
  });
  await call('PUT', '/v1/integrations/servicenow', {
    enabled: true, instanceUrl: snow.url, username: 'rhx.bot', password: SNOW_PASSWORD,
    fields: [{ field: 'caller_id', value: 'rhythmx.integration' }],
    lifecycle: { ...LIFECYCLE, closeCode: 'Solved (Permanently)' },
  });
});
afterAll(async () => {
  await h.close();
  await jira.close();
  await snow.close();
});

const history = async (id: string) => (await call('GET', `/v1/incidents/${id}/history?limit=200`)).json().items as { action: string; message: string; newValue: Record<string, unknown> }[];
const deliveries = async (id: string) => (await call('GET', `/v1/deliveries?incidentId=${id}&limit=100`)).json().items as { id: string; kind: string; status: string; system: string; lastErrorCode?: string }[];
const jiraIssue = (id: string) => jira.issues().find((i) => (i.fields.labels as string[]).includes(`rhythmx-${id}`))!;
const snowRecord = (id: string) => snow.incidents().filter((r) => r.correlation_id === `rhythmx:${id}` || r.correlation_id.startsWith(`rhythmx:${id}:`));
const transitionsSent = (issueId: string, transitionId: string) =>
  jira.requests().filter((r) => r.method === 'POST' && r.path.includes(`/issue/${issueId}/transitions`) && r.body.includes(`"id":"${transitionId}"`)).length;

/** A HIGH incident with a ticket in both systems. */
async function ticketed(id: string): Promise<void> {
  expect((await call('POST', '/v1/incidents', { ...readFixture('high-lateral-movement.json'), id })).statusCode).toBe(202);
  await h.eventually(async () => (await call('GET', `/v1/incidents/${id}`)).statusCode === 200);
  for (const target of ['jira', 'servicenow']) expect((await call('POST', `/v1/incidents/${id}/tickets`, { target })).statusCode).toBe(202);
  await h.eventually(async () => (await call('GET', `/v1/incidents/${id}`)).json().tickets.length === 2);
}

const settled = (id: string, kind: string, count: number) =>
  h.eventually(async () => {
    const d = (await deliveries(id)).filter((x) => x.kind === kind);
    return d.length === count && d.every((x) => !['PENDING', 'IN_PROGRESS', 'RETRY_WAIT'].includes(x.status)) ? d : undefined;
  });

describe('closing the incident resolves its tickets, once', () => {
  test('CLOSED with a note: the Jira issue takes the done transition with its resolution, ServiceNow goes to 6 with close code and notes', async () => {
    await ticketed('INC-LC-1');
    const res = await call('PATCH', '/v1/incidents/INC-LC-1', { analystStatus: 'CLOSED', note: 'Contained: credentials rotated.' });
    expect(res.statusCode).toBe(200);
    expect(res.json().resolves.map((r: { system: string }) => r.system).sort()).toEqual(['jira', 'servicenow']);
    const resolves = await settled('INC-LC-1', 'resolve', 2);
    expect(resolves.map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const issue = jiraIssue('INC-LC-1');
    expect(issue.status.category).toBe('done');
    expect(issue.fields.resolution).toEqual({ name: 'Done' });
    expect(issue.comments.map((c) => JSON.stringify(c.body))).toEqual([expect.stringContaining('Contained: credentials rotated.')]);
    const [record] = snowRecord('INC-LC-1');
    expect(record).toMatchObject({ state: '6' });
    expect(record!.columns).toMatchObject({ close_code: 'Solved (Permanently)', close_notes: expect.stringContaining('Contained: credentials rotated.') });
    expect((await history('INC-LC-1')).filter((r) => r.action === 'TICKET_RESOLVED').map((r) => r.newValue.system).sort()).toEqual(['jira', 'servicenow']);
  });

  test('closing again (a note, or FALSE_POSITIVE) opens nothing: the tickets are resolved already', async () => {
    expect((await call('PATCH', '/v1/incidents/INC-LC-1', { analystStatus: 'FALSE_POSITIVE', note: 'On second look: a red-team exercise.' })).json().resolves).toEqual([]);
    expect((await deliveries('INC-LC-1')).filter((d) => d.kind === 'resolve')).toHaveLength(2);
    expect(transitionsSent(jiraIssue('INC-LC-1').id, '31')).toBe(1);
  });
});

describe('a rise reopens resolved tickets, once, whatever the cadence window', () => {
  test('HIGH → CRITICAL: both reopened with the change, the new priority set, the analyst status NEW again', async () => {
    expect((await call('POST', '/v1/incidents/INC-LC-1/risk', { score: 95, reason: 'new exfiltration rule fired' })).statusCode).toBe(202);
    const updates = await settled('INC-LC-1', 'update', 2);
    expect(updates.map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const issue = jiraIssue('INC-LC-1');
    expect(issue.status.category).toBe('new');
    expect(issue.fields.priority).toEqual({ name: 'Highest' });
    expect(transitionsSent(issue.id, '41')).toBe(1);
    const [record] = snowRecord('INC-LC-1');
    expect(record).toMatchObject({ state: '2', priority: '1' });
    const view = (await call('GET', '/v1/incidents/INC-LC-1')).json();
    expect(view.analystStatus).toBe('NEW');
    const rows = await history('INC-LC-1');
    expect(rows.filter((r) => r.action === 'TICKET_UPDATED' && r.newValue.reopened === true)).toHaveLength(2);
    expect(rows.filter((r) => r.action === 'ANALYST_STATUS').at(-1)!.newValue).toEqual({ analystStatus: 'NEW', reason: 'reopened' });
  });

  test('a further change of an open ticket is the cadence gate\'s again: no second reopen', async () => {
    await call('POST', '/v1/incidents/INC-LC-1/risk', { score: 97 });
    await call('POST', '/v1/incidents/INC-LC-1/risk', { score: 80 });
    expect((await deliveries('INC-LC-1')).filter((d) => d.kind === 'update')).toHaveLength(2);
    expect(transitionsSent(jiraIssue('INC-LC-1').id, '41')).toBe(1);
  });
});

describe('a ServiceNow ticket closed for good (7)', () => {
  test('a rise makes a follow-up ticket of the next generation; the closed one is left alone', async () => {
    await ticketed('INC-LC-2');
    await call('PATCH', '/v1/incidents/INC-LC-2', { analystStatus: 'CLOSED' });
    await settled('INC-LC-2', 'resolve', 2);
    const [closed] = snowRecord('INC-LC-2');
    snow.setState(closed!.sys_id, '7');
    await call('POST', '/v1/incidents/INC-LC-2/risk', { score: 95 });
    const skipped = await h.eventually(async () => (await deliveries('INC-LC-2')).find((d) => d.kind === 'update' && d.system === 'servicenow' && d.status === 'SKIPPED'));
    expect(skipped.lastErrorCode).toBe('TICKET_CLOSED');
    await h.eventually(async () => snowRecord('INC-LC-2').length === 2);
    const view = await h.eventually(async () => {
      const v = (await call('GET', '/v1/incidents/INC-LC-2')).json();
      return v.tickets.some((t: { generation?: number; externalId: string }) => t.externalId !== closed!.number && t.externalId.startsWith('INC')) ? v : undefined;
    });
    expect(view.analystStatus).toBe('NEW');
    expect(snowRecord('INC-LC-2')[0]).toMatchObject({ state: '7' });
    // The follow-up names and links the ticket it follows, first in its description.
    const followUp = snowRecord('INC-LC-2').find((r) => r.sys_id !== closed!.sys_id)!;
    expect(followUp.correlation_id).toBe('rhythmx:INC-LC-2:g2');
    expect(followUp.description.slice(0, 300)).toContain(`${closed!.number}, closed before the incident's risk rose again`);
    // The Jira issue was resolved (done), not closed for good: it is simply reopened.
    expect(jiraIssue('INC-LC-2').status.category).toBe('new');
  });

  test('with onClosed "record", the rise is only recorded on the closed ticket: no follow-up', async () => {
    await call('PUT', '/v1/integrations/servicenow', { lifecycle: { ...LIFECYCLE, closeCode: 'Solved (Permanently)', onClosed: 'record' } });
    await ticketed('INC-LC-5');
    await call('PATCH', '/v1/incidents/INC-LC-5', { analystStatus: 'CLOSED' });
    await settled('INC-LC-5', 'resolve', 2);
    snow.setState(snowRecord('INC-LC-5')[0]!.sys_id, '7');
    await call('POST', '/v1/incidents/INC-LC-5/risk', { score: 95 });
    await settled('INC-LC-5', 'update', 2);
    const skipped = (await deliveries('INC-LC-5')).find((d) => d.kind === 'update' && d.system === 'servicenow')!;
    expect(skipped).toMatchObject({ status: 'SKIPPED', lastErrorCode: 'TICKET_CLOSED' });
    expect((await history('INC-LC-5')).find((r) => r.action === 'TICKET_CLOSED')!.message).toContain('the rise is only recorded (lifecycle onClosed: record)');
    expect((await deliveries('INC-LC-5')).filter((d) => d.kind === 'create' && d.system === 'servicenow')).toHaveLength(1);
    expect(snowRecord('INC-LC-5')).toHaveLength(1);
    await call('PUT', '/v1/integrations/servicenow', { lifecycle: { ...LIFECYCLE, closeCode: 'Solved (Permanently)' } });
  });
});

describe('no echo between the sync cycle and a resolve', () => {
  test('a Jira issue resolved by hand closes the incident and resolves the ServiceNow ticket; nothing is sent back to Jira', async () => {
    await ticketed('INC-LC-3');
    const issue = jiraIssue('INC-LC-3');
    const before = jira.requests().filter((r) => r.path.includes(`/issue/${issue.id}`)).length;
    jira.setStatus(issue.id, 'done', 'Done');
    await syncCycle(h, { queues: h.queues }).run();
    expect((await call('GET', '/v1/incidents/INC-LC-3')).json().analystStatus).toBe('CLOSED');
    const resolves = await settled('INC-LC-3', 'resolve', 1);
    expect(resolves[0]).toMatchObject({ system: 'servicenow', status: 'SUCCEEDED' });
    expect(snowRecord('INC-LC-3')[0]).toMatchObject({ state: '6' });
    // Only the sync's own read reached the issue: no resolve, no comment.
    expect(jira.requests().filter((r) => r.path.includes(`/issue/${issue.id}`) && r.method !== 'GET').length).toBe(0);
    expect(jira.requests().filter((r) => r.path.includes(`/issue/${issue.id}`)).length).toBeGreaterThan(before);
    // The resolve sent to ServiceNow is not read back as an analyst's action: the next cycle changes nothing.
    const rows = (await history('INC-LC-3')).length;
    await syncCycle(h, { queues: h.queues }).run();
    expect((await history('INC-LC-3')).length).toBe(rows);
  });
});

describe('the producer library closes an incident too', () => {
  test('enqueueAnalystStatus: the ingest worker records it and resolves the tickets', async () => {
    await ticketed('INC-LC-4');
    await enqueueAnalystStatus(h.redis, 'INC-LC-4', { analystStatus: 'FALSE_POSITIVE', note: 'Known scanner.' }, { prefix: h.config.QUEUE_PREFIX, eventId: 'close-1' });
    await settled('INC-LC-4', 'resolve', 2);
    expect((await call('GET', '/v1/incidents/INC-LC-4')).json().analystStatus).toBe('FALSE_POSITIVE');
    expect(jiraIssue('INC-LC-4').status.category).toBe('done');
  });

  test('a bad event is refused before anything is enqueued, naming the field', async () => {
    await expect(enqueueAnalystStatus(h.redis, 'INC-LC-4', { analystStatus: 'DONE' }, { prefix: h.config.QUEUE_PREFIX })).rejects.toThrow(/analystStatus/);
  });
});
