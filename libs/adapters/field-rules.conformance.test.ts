import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SECURITY_PROJECT_FIELDS, startJiraSimulator, startServiceNowSimulator, type JiraSimulator, type ServiceNowSimulator } from '@rhx/testing';
import { loadIncidentFixture } from './incident.fixtures.js';
import { createAdapter } from './registry.js';
import { TicketError } from './ticket-error.js';

// Field rules against the simulators, which enforce the specs' input formats: one row per Jira field
// type of specs/jira-rest.md's table, on Cloud and Data Center; ServiceNow columns, references and policy.
const OPTIONS = { httpTimeoutMs: 5000 };
const TOKEN = 'jira-rules-token-XYZ';
const REQUIRED = [{ field: 'customfield_10050', value: 'High' }, { field: 'components', value: 'SOC' }];
let n = 0;
const incident = () => ({ ...loadIncidentFixture('critical-credential-access'), id: `RULES-${++n}` });

describe.each(['cloud', 'server'] as const)('Jira %s: every input format', (deployment) => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startJiraSimulator({ deployment, projects: ['SEC'], email: deployment === 'cloud' ? 'soc@acme.test' : undefined, apiToken: TOKEN, fields: SECURITY_PROJECT_FIELDS } as Parameters<typeof startJiraSimulator>[0]);
  });
  afterAll(() => sim.close());
  // The project's required fields always have a rule; `rule` replaces the one for its own field.
  const adapter = (rule: { field: string; value: unknown }) =>
    createAdapter('jira', {
      deployment, baseUrl: sim.url, ...(deployment === 'cloud' ? { email: 'soc@acme.test' } : {}), apiToken: TOKEN, projectKey: 'SEC',
      fields: [...REQUIRED.filter((q) => q.field !== rule.field), rule],
    }, OPTIONS);

  test.each([
    ['text', { field: 'customfield_10051', value: '{{actor.name}}' }, 'customfield_10051', (v: unknown) => expect(typeof v).toBe('string')],
    ['textarea', { field: 'customfield_10052', value: 'Tactics: {{mitre.tactics}}' }, 'customfield_10052', (v: unknown) =>
      (deployment === 'cloud' ? expect(v).toMatchObject({ type: 'doc', version: 1 }) : expect(v).toMatch(/^Tactics: /))],
    ['number', { field: 'customfield_10053', value: '{{risk.score}}' }, 'customfield_10053', (v: unknown) => expect(typeof v).toBe('number')],
    ['date', { field: 'customfield_10054', value: '{{createdAt}}' }, 'customfield_10054', (v: unknown) => expect(v).toMatch(/^\d{4}-\d\d-\d\d$/)],
    ['datetime', { field: 'customfield_10055', value: '{{createdAt}}' }, 'customfield_10055', (v: unknown) => expect(v).toMatch(/\.\d{3}\+0000$/)],
    ['option', { field: 'customfield_10050', value: '{{severity}}', map: { CRITICAL: 'Critical' } }, 'customfield_10050', (v: unknown) => expect(v).toEqual({ value: 'Critical' })],
    ['multi-option', { field: 'customfield_10056', value: 'Credential Access, Lateral Movement' }, 'customfield_10056', (v: unknown) => expect(v).toHaveLength(2)],
    ['cascading option', { field: 'customfield_10057', value: 'EMEA / Paris' }, 'customfield_10057', (v: unknown) => expect(v).toEqual({ value: 'EMEA', child: { value: 'Paris' } })],
    ['labels', { field: 'labels', value: 'soc {{severity}}' }, 'labels', (v: unknown) => expect(v).toEqual(expect.arrayContaining(['soc', 'CRITICAL']))],
    ['components', { field: 'components', value: 'SOC, Identity' }, 'components', (v: unknown) => expect(v).toEqual([{ name: 'SOC' }, { name: 'Identity' }])],
    ['user', { field: 'customfield_10058', value: 'duty-officer' }, 'customfield_10058', (v: unknown) =>
      expect(v).toEqual(deployment === 'cloud' ? { accountId: 'duty-officer' } : { name: 'duty-officer' })],
    ['versions', { field: 'versions', value: '2026.4' }, 'versions', (v: unknown) => expect(v).toEqual([{ name: '2026.4' }])],
  ])('%s: accepted by the remote as shaped', async (_type, rule, field, check) => {
    const a = adapter(rule);
    const ref = await a.createTicket(await a.prepareCreate(incident()));
    const issue = sim.issues().find((i) => i.id === ref.remoteId)!;
    check(issue.fields[field]);
    expect(issue.fields.labels).toEqual(expect.arrayContaining([`rhythmx-RULES-${n}`]));
  });

  test('an option value the field does not allow is refused by the remote, permanently', async () => {
    const a = adapter({ field: 'customfield_10050', value: 'Severe' });
    const error = await a.createTicket(await a.prepareCreate(incident())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TicketError);
    expect(error).toMatchObject({ retryable: false, httpStatus: 400 });
  });
});

describe('ServiceNow columns', () => {
  let sim: ServiceNowSimulator;
  beforeAll(async () => {
    sim = await startServiceNowSimulator({ username: 'rhythmx', password: 'pw-rules-XYZ', groups: {}, instance: { customColumns: ['u_tactics'], mandatory: ['caller_id'], users: { 'rhythmx.bot': 'b'.repeat(32) } } });
  });
  afterAll(() => sim.close());
  const settings = (fields: unknown[]) => ({ instanceUrl: sim.url, username: 'rhythmx', password: 'pw-rules-XYZ', fields });

  test('text columns, a reference by display value and by sys_id, a custom column', async () => {
    const a = createAdapter('servicenow', settings([
      { field: 'caller_id', value: 'rhythmx.bot' }, { field: 'cmdb_ci', value: 'c'.repeat(32) }, { field: 'u_tactics', value: '{{mitre.tactics}}' }, { field: 'subcategory', value: 'intrusion' },
    ]), OPTIONS);
    const ref = await a.createTicket(await a.prepareCreate(incident()));
    const record = sim.incidents().find((r) => r.sys_id === ref.remoteId)!;
    expect(record.columns).toMatchObject({ caller_id: 'b'.repeat(32), cmdb_ci: 'c'.repeat(32), subcategory: 'intrusion', u_tactics: expect.stringContaining('Credential Access') });
  });

  test('a display value not found fails before the create, permanently, naming the column', async () => {
    const a = createAdapter('servicenow', settings([{ field: 'caller_id', value: 'nobody' }]), OPTIONS);
    await expect(a.prepareCreate(incident())).rejects.toMatchObject({ code: 'CONFIGURATION', retryable: false, message: expect.stringContaining('caller_id: "nobody" was not found in sys_user') });
  });

  test('without dictionary access the check says what it could not check', async () => {
    const closed = await startServiceNowSimulator({ username: 'rhythmx', password: 'pw-rules-XYZ', groups: {}, instance: { dictionaryReadable: false } });
    const a = createAdapter('servicenow', { instanceUrl: closed.url, username: 'rhythmx', password: 'pw-rules-XYZ', fields: [{ field: 'category', value: 'security' }] }, OPTIONS);
    await expect(a.checkFields!()).resolves.toMatchObject({ problems: [], unchecked: expect.stringContaining('may not read sys_dictionary') });
    await closed.close();
  });
});
