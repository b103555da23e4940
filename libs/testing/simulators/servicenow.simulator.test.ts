import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startServiceNowSimulator, type ServiceNowSimulator } from './servicenow.simulator.js';

const AUTH = `Basic ${Buffer.from('rhythmx:pw').toString('base64')}`;
const GROUP = '0123456789abcdef0123456789abcdef';

async function call(sim: ServiceNowSimulator, method: string, path: string, body?: unknown, auth = AUTH) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: auth, accept: 'application/json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

describe('ServiceNow simulator', () => {
  let sim: ServiceNowSimulator;
  beforeAll(async () => {
    sim = await startServiceNowSimulator({ username: 'rhythmx', password: 'pw', groups: { 'SOC Tier 2': GROUP } });
  });
  afterAll(() => sim.close());

  test.each([
    ['1', '1', '1'],
    ['1', '2', '2'],
    ['1', '3', '3'],
    ['2', '2', '3'],
    ['2', '3', '4'],
    ['3', '3', '5'],
  ])('impact %s × urgency %s → priority %s', async (impact, urgency, priority) => {
    const { status, json } = await call(sim, 'POST', '/api/now/table/incident', { short_description: 'x', impact, urgency, priority: '1' });
    expect(status).toBe(201);
    expect(json.result.priority).toBe(priority);
  });

  test('every value reads back as a string; a reference as {link, value}', async () => {
    const { json } = await call(sim, 'POST', '/api/now/table/incident', { impact: 1, urgency: 2, assignment_group: GROUP, correlation_id: 'rhythmx:A' });
    const { assignment_group: group, ...rest } = json.result;
    for (const value of Object.values(rest)) expect(typeof value).toBe('string');
    expect(group).toEqual({ link: expect.stringContaining(GROUP), value: GROUP });
    expect(json.result.number).toMatch(/^INC\d{7}$/);
    expect(json.result.sys_id).toMatch(/^[0-9a-f]{32}$/);
  });

  test('queries by correlation_id, and an unknown field in the query is ignored (returns everything)', async () => {
    const byCorrelation = await call(sim, 'GET', '/api/now/table/incident?sysparm_query=correlation_id=rhythmx:A^ORDERBYDESCsys_created_on&sysparm_fields=number,correlation_id&sysparm_limit=1');
    expect(byCorrelation.json.result).toEqual([{ number: expect.any(String), correlation_id: 'rhythmx:A' }]);
    const typo = await call(sim, 'GET', '/api/now/table/incident?sysparm_query=correlaton_id=rhythmx:A');
    expect(typo.json.result.length).toBe(sim.incidents().length);
  });

  test('looks groups up by name', async () => {
    const found = await call(sim, 'GET', '/api/now/table/sys_user_group?sysparm_query=name=SOC Tier 2&sysparm_fields=sys_id,name&sysparm_limit=1');
    expect(found.json.result).toEqual([{ sys_id: GROUP, name: 'SOC Tier 2' }]);
    const missing = await call(sim, 'GET', '/api/now/table/sys_user_group?sysparm_query=name=Nobody');
    expect(missing.json.result).toEqual([]);
  });

  test('PATCH appends work notes and recomputes priority; GET by sys_id; 404 for an unknown one', async () => {
    const created = await call(sim, 'POST', '/api/now/table/incident', { impact: '2', urgency: '3' });
    const sysId = created.json.result.sys_id as string;
    const patched = await call(sim, 'PATCH', `/api/now/table/incident/${sysId}`, { work_notes: 'risk rose', impact: '1', urgency: '1' });
    expect(patched.json.result).toMatchObject({ priority: '1', work_notes: '' });
    expect((await call(sim, 'GET', `/api/now/table/incident/${sysId}`)).json.result.priority).toBe('1');
    expect(sim.incidents().find((i) => i.sys_id === sysId)?.workNotes).toEqual(['risk rose']);
    const missing = await call(sim, 'GET', `/api/now/table/incident/${'0'.repeat(32)}`);
    expect(missing).toMatchObject({ status: 404, json: { error: { message: 'No Record found' }, status: 'failure' } });
  });

  test('wrong credentials → 401 with the platform message', async () => {
    const { status, json } = await call(sim, 'GET', '/api/now/table/incident', undefined, 'Basic bm9wZTpub3Bl');
    expect(status).toBe(401);
    expect(json.error.message).toBe('User Not Authenticated');
  });

  test('an html fault answers 200 with a page', async () => {
    sim.faults.next(1, { html: true });
    const response = await fetch(`${sim.url}/api/now/table/incident`, { headers: { authorization: AUTH } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html');
  });
});

describe('ServiceNow simulator: work notes in sys_journal_field, and updates that fail', () => {
  let sim: ServiceNowSimulator;
  beforeAll(async () => {
    sim = await startServiceNowSimulator({ username: 'rhythmx', password: 'pw', groups: {} });
  });
  afterAll(() => sim.close());

  const MARKER = 'rhythmx-update-3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f';
  const journalQuery = (sysId: string, marker: string, fields = 'sys_id') =>
    `/api/now/table/sys_journal_field?${new URLSearchParams({ sysparm_query: `element_id=${sysId}^element=work_notes^valueLIKE${marker}`, sysparm_fields: fields, sysparm_limit: '1' })}`;
  async function incident(): Promise<string> {
    return (await call(sim, 'POST', '/api/now/table/incident', { short_description: 'x' })).json.result.sys_id as string;
  }
  const note = (sysId: string, text: string) => call(sim, 'PATCH', `/api/now/table/incident/${sysId}`, { work_notes: text });

  test('finds a work note by record, element and valueLIKE; not on another record, not for another marker', async () => {
    const [mine, other] = [await incident(), await incident()];
    await note(mine, `Risk rose\n${MARKER.toUpperCase()}`);
    await note(other, 'rhythmx-update-00000000-0000-4000-8000-000000000000');
    const found = await call(sim, 'GET', journalQuery(mine, MARKER, 'sys_id,element_id,element,value'));
    expect(found).toMatchObject({ status: 200, json: { result: [{ sys_id: expect.stringMatching(/^[0-9a-f]{32}$/), element_id: mine, element: 'work_notes', value: `Risk rose\n${MARKER.toUpperCase()}` }] } });
    expect(Object.keys(found.json.result[0])).toEqual(['sys_id', 'element_id', 'element', 'value']);
    expect((await call(sim, 'GET', journalQuery(other, MARKER))).json.result).toEqual([]);
    expect((await call(sim, 'GET', journalQuery(mine, 'rhythmx-update-11111111'))).json.result).toEqual([]);
    expect(sim.journal().filter((e) => e.element_id === mine)).toEqual([expect.objectContaining({ name: 'incident', element: 'work_notes' })]);
  });

  test('an unknown term in the journal query is ignored, as the platform does', async () => {
    const sysId = await incident();
    await note(sysId, 'some note');
    const typo = await call(sim, 'GET', `/api/now/table/sys_journal_field?sysparm_query=${encodeURIComponent(`element_id=${sysId}^valeLIKE${MARKER}`)}`);
    expect(typo.json.result).toHaveLength(1);
  });

  test('without read access to sys_journal_field every read of it is 403; writes to it are refused', async () => {
    const sysId = await incident();
    sim.setJournalReadable(false);
    try {
      expect(await call(sim, 'GET', journalQuery(sysId, MARKER))).toMatchObject({ status: 403, json: { error: { message: 'Operation Failed' }, status: 'failure' } });
    } finally {
      sim.setJournalReadable(true);
    }
    expect((await call(sim, 'POST', '/api/now/table/sys_journal_field', { value: 'x' })).status).toBe(405);
    const denied = await startServiceNowSimulator({ username: 'rhythmx', password: 'pw', groups: {}, journalReadable: false });
    try {
      expect((await call(denied, 'GET', '/api/now/table/sys_journal_field')).status).toBe(403);
    } finally {
      await denied.close();
    }
  });

  test('updateThenFail: the PATCH is applied (the note is in the journal), then answered 500 or dropped', async () => {
    const sysId = await incident();
    sim.faults.updateThenFail('status500');
    expect((await note(sysId, `first ${MARKER}`)).status).toBe(500);
    sim.faults.updateThenFail('drop');
    await expect(note(sysId, 'second')).rejects.toThrow();
    expect(sim.journal().filter((e) => e.element_id === sysId).map((e) => e.value)).toEqual([`first ${MARKER}`, 'second']);
    expect((await call(sim, 'GET', journalQuery(sysId, MARKER))).json.result).toHaveLength(1);
  });

  test('a 503 fault answers a PATCH without applying it', async () => {
    const sysId = await incident();
    sim.faults.next(1, { status: 503, method: 'PATCH' });
    expect((await call(sim, 'PATCH', `/api/now/table/incident/${sysId}`, { work_notes: 'refused', impact: '1', urgency: '1' })).status).toBe(503);
    expect(sim.incidents().find((i) => i.sys_id === sysId)).toMatchObject({ workNotes: [], priority: '5' });
    expect(sim.journal().filter((e) => e.element_id === sysId)).toEqual([]);
  });
});
