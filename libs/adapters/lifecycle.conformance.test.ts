import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startJiraSimulator, startProactiveSimulator, startServiceNowSimulator, type JiraSimulator, type ProactiveSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { loadIncidentFixture } from './incident.fixtures.js';
import { createAdapter } from './registry.js';

// Resolve and reopen against the simulators' workflows and states (the adapters' part of issue 14's lifecycle).
const OPTIONS = { httpTimeoutMs: 5000 };
let n = 0;
const incident = () => ({ ...loadIncidentFixture('critical-credential-access'), id: `LIFE-${++n}` });

describe.each(['cloud', 'server'] as const)('Jira %s', (deployment) => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startJiraSimulator({ deployment, projects: ['SEC'], ...(deployment === 'cloud' ? { email: 'soc@acme.test' } : {}), apiToken: 'life-token' });
  });
  afterAll(() => sim.close());
  const adapter = (lifecycle: Record<string, unknown> = {}) =>
    createAdapter('jira', { deployment, baseUrl: sim.url, ...(deployment === 'cloud' ? { email: 'soc@acme.test' } : {}), apiToken: 'life-token', projectKey: 'SEC', lifecycle: { resolve: true, reopen: true, ...lifecycle } }, OPTIONS);

  test('resolve takes the transition into the done category with a resolution and the note; again is "already"; reopen brings it back', async () => {
    const a = adapter();
    const ref = await a.createTicket(await a.prepareCreate(incident()));
    await expect(a.reopen(ref, 'nothing to reopen')).resolves.toBe('open');
    await expect(a.resolve(ref, 'Incident closed in RhythmX: contained.')).resolves.toBe('resolved');
    const issue = () => sim.issues().find((i) => i.id === ref.remoteId)!;
    expect(issue().status.category).toBe('done');
    expect(issue().fields.resolution).toEqual({ name: 'Done' });
    expect(JSON.stringify(issue().comments.at(-1)!.body)).toContain('Incident closed in RhythmX: contained.');
    await expect(a.resolve(ref, 'again')).resolves.toBe('already');
    expect(issue().comments).toHaveLength(1);
    await expect(a.reopen(ref, 'Risk rose to 91: reopened.')).resolves.toBe('reopened');
    expect(issue().status.category).toBe('new');
  });

  test('a configured transition and resolution are used by name; a name the workflow lacks is a permanent error naming what it offers', async () => {
    const ref = await adapter().createTicket(await adapter().prepareCreate(incident()));
    await expect(adapter({ resolution: 'False Positive' }).resolve(ref, 'benign')).resolves.toBe('resolved');
    expect(sim.issues().find((i) => i.id === ref.remoteId)!.fields.resolution).toEqual({ name: 'False Positive' });
    const other = await adapter().createTicket(await adapter().prepareCreate(incident()));
    await expect(adapter({ transition: 'Close Issue' }).resolve(other, 'x')).rejects.toMatchObject({
      code: 'CONFIGURATION', retryable: false, message: 'Jira offers no transition named "Close Issue" from this issue\'s status (offered: Start Progress, Done)',
    });
  });
});

describe('ServiceNow', () => {
  let sim: ServiceNowSimulator;
  beforeAll(async () => {
    sim = await startServiceNowSimulator({ username: 'rhx', password: 'life-pw', groups: {} });
  });
  afterAll(() => sim.close());
  const adapter = (lifecycle: Record<string, unknown> = {}) => createAdapter('servicenow', { instanceUrl: sim.url, username: 'rhx', password: 'life-pw', lifecycle: { resolve: true, reopen: true, ...lifecycle } }, OPTIONS);

  test('resolve sets state 6 with the close code and notes; reopen from 6 sets 2; Closed (7) is read-only', async () => {
    const a = adapter({ closeCode: 'Resolved by caller' });
    const ref = await a.createTicket(await a.prepareCreate(incident()));
    await expect(a.resolve(ref, 'Closed in RhythmX.')).resolves.toBe('resolved');
    const record = () => sim.incidents().find((r) => r.sys_id === ref.remoteId)!;
    expect(record()).toMatchObject({ state: '6', columns: { close_code: 'Resolved by caller', close_notes: 'Closed in RhythmX.' } });
    await expect(a.resolve(ref, 'again')).resolves.toBe('already');
    await expect(a.reopen(ref, 'Risk rose: reopened.')).resolves.toBe('reopened');
    expect(record().state).toBe('2');
    expect(record().workNotes.at(-1)).toBe('Risk rose: reopened.');
    sim.setState(ref.remoteId, '7');
    await expect(a.reopen(ref, 'too late')).resolves.toBe('read-only');
  });
});

describe('Proactive Case API', () => {
  let sim: ProactiveSimulator;
  beforeAll(async () => {
    sim = await startProactiveSimulator({ appId: 'app', secret: 'life-secret', serviceIdentifiers: ['CI1'] });
  });
  afterAll(() => sim.close());

  test('resolve and reopen add work notes (the spec has no state change)', async () => {
    const a = createAdapter('servicenow', { baseUrl: sim.url, appId: 'app', secret: 'life-secret', serviceIdentifier: 'CI1' }, { ...OPTIONS, ticketIntegration: 'proactive' });
    const ref = await a.createTicket(await a.prepareCreate(incident()));
    const before = sim.requests().length;
    await expect(a.resolve(ref, 'Closed in RhythmX.')).resolves.toBe('resolved');
    expect(sim.requests().slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /cases/${encodeURIComponent(ref.remoteId)}/updates`]);
  });
});
