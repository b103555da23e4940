import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startJiraSimulator, type JiraSimulator } from './jira.simulator.js';

const TOKEN = 'sim-token';
const AUTH = `Basic ${Buffer.from(`soc@acme.test:${TOKEN}`).toString('base64')}`;
const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const fields = (extra: Record<string, unknown> = {}) => ({
  project: { key: 'SEC' },
  issuetype: { name: 'Task' },
  summary: 'Credential access by j.doe',
  description: adf('details'),
  priority: { name: 'Highest' },
  labels: ['rhythmx', 'rhythmx-INC-1'],
  ...extra,
});

async function call(sim: JiraSimulator, method: string, path: string, body?: unknown, auth = AUTH) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

describe('Jira Cloud simulator', () => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'soc@acme.test', apiToken: TOKEN });
  });
  afterAll(() => sim.close());

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a plain-string description', { description: 'text' }, 'description', /^Operation value must be an Atlassian Document/],
    ['invalid ADF', { description: adf('') }, 'description', /INVALID_INPUT/],
    ['an unknown project', { project: { key: 'OPS' } }, 'project', /^valid project is required$/],
    ['a 256-character summary', { summary: 'x'.repeat(256) }, 'summary', /^Summary must be less than 255 characters\.$/],
    ['a label with spaces', { labels: ['rhythmx INC'] }, 'labels', /^The label 'rhythmx INC' contains spaces which is invalid\.$/],
    ['a field off the screen', { customfield_1: 'x' }, 'customfield_1', /cannot be set/],
  ])('create with %s → 400 errors.%s', async (_name, extra, field, message) => {
    const { status, json } = await call(sim, 'POST', '/rest/api/3/issue', { fields: fields(extra) });
    expect(status).toBe(400);
    expect(json?.errors[field]).toMatch(message);
  });

  test('wrong credentials → 401', async () => {
    expect((await call(sim, 'GET', '/rest/api/3/myself', undefined, 'Basic bm9wZTpub3Bl')).status).toBe(401);
  });

  test('the removed /rest/api/3/search → 410', async () => {
    expect((await call(sim, 'POST', '/rest/api/3/search', { jql: 'project = SEC' })).status).toBe(410);
  });

  test('creates, finds by label, comments and reports status', async () => {
    const created = await call(sim, 'POST', '/rest/api/3/issue', { fields: fields() });
    expect(created).toMatchObject({ status: 201, json: { key: 'SEC-1', id: '10000' } });
    const found = await call(sim, 'POST', '/rest/api/3/search/jql', { jql: 'project = SEC AND labels = "rhythmx-INC-1"', fields: ['labels'], maxResults: 1 });
    expect(found.json).toEqual({ issues: [expect.objectContaining({ key: 'SEC-1', fields: { labels: ['rhythmx', 'rhythmx-INC-1'] } })], isLast: true });
    const none = await call(sim, 'POST', '/rest/api/3/search/jql', { jql: 'project = SEC AND labels = "rhythmx-INC-2"' });
    expect(none.json?.issues).toEqual([]);
    expect((await call(sim, 'POST', '/rest/api/3/issue/SEC-1/comment', { body: 'plain' })).status).toBe(400);
    expect((await call(sim, 'POST', '/rest/api/3/issue/SEC-1/comment', { body: adf('note') })).status).toBe(201);
    sim.setStatus('SEC-1', 'done');
    const status = await call(sim, 'GET', '/rest/api/3/issue/10000?fields=status');
    expect(status.json?.fields).toEqual({ status: { name: 'Done', statusCategory: { key: 'done', name: 'Done' } } });
    expect(sim.issues()[0]?.comments).toHaveLength(1);
  });

  test('faults apply to the next matching requests only', async () => {
    sim.faults.next(1, { status: 429, retryAfter: 3, method: 'GET', path: '/myself' });
    expect((await call(sim, 'GET', '/rest/api/3/project/SEC')).status).toBe(200);
    const limited = await call(sim, 'GET', '/rest/api/3/myself');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await call(sim, 'GET', '/rest/api/3/myself')).status).toBe(200);
  });

  test('createThenFail stores the issue and answers 500', async () => {
    const before = sim.issues().length;
    sim.faults.createThenFail('status500');
    expect((await call(sim, 'POST', '/rest/api/3/issue', { fields: fields() })).status).toBe(500);
    expect(sim.issues()).toHaveLength(before + 1);
    expect(sim.requests().at(-1)).toMatchObject({ method: 'POST', path: '/rest/api/3/issue', status: 500 });
  });
});

describe('Jira Data Center simulator', () => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startJiraSimulator({ deployment: 'server', projects: ['SEC'], apiToken: TOKEN, contextPath: '/jira' });
  });
  afterAll(() => sim.close());

  test('serves v2 under the context path with a Bearer token and accepts wiki descriptions', async () => {
    expect(sim.url).toMatch(/\/jira$/);
    const bearer = `Bearer ${TOKEN}`;
    const created = await call(sim, 'POST', '/rest/api/2/issue', { fields: fields({ description: 'h2. Risk\n*bold*' }) }, bearer);
    expect(created.status).toBe(201);
    expect((await call(sim, 'POST', '/rest/api/2/issue', { fields: fields({ description: adf('x') }) }, bearer)).status).toBe(400);
    const found = await call(sim, 'POST', '/rest/api/2/search', { jql: 'labels = "rhythmx-INC-1"', startAt: 0, maxResults: 1 }, bearer);
    expect(found.json).toMatchObject({ total: 1, issues: [{ key: 'SEC-1' }] });
    expect((await call(sim, 'GET', '/rest/api/3/myself', undefined, bearer)).status).toBe(404);
  });
});

describe('Jira simulator: reading comments back, and updates that fail', () => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    // Search lags a minute behind; reading an issue's comments never does.
    sim = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'soc@acme.test', apiToken: TOKEN, indexLagMs: 60_000 });
  });
  afterAll(() => sim.close());

  async function issueWithComments(...notes: string[]): Promise<string> {
    const created = await call(sim, 'POST', '/rest/api/3/issue', { fields: fields() });
    for (const note of notes) expect((await call(sim, 'POST', `/rest/api/3/issue/${created.json?.key}/comment`, { body: adf(note) })).status).toBe(201);
    return created.json?.key as string;
  }
  const texts = (json: Record<string, any> | undefined) => (json?.comments as { body: ReturnType<typeof adf> }[]).map((c) => c.body.content[0]?.content[0]?.text);

  test('GET issue/{key}/comment serves what was posted at once, newest first with orderBy=-created, paged by maxResults', async () => {
    const key = await issueWithComments('first', 'second', 'third');
    expect((await call(sim, 'POST', '/rest/api/3/search/jql', { jql: `labels = "rhythmx-INC-1"` })).json?.issues).toEqual([]);
    const newest = await call(sim, 'GET', `/rest/api/3/issue/${key}/comment?orderBy=-created&maxResults=2`);
    expect(newest.status).toBe(200);
    expect(texts(newest.json)).toEqual(['third', 'second']);
    expect(newest.json).toMatchObject({ startAt: 0, maxResults: 2, total: 3 });
    expect(newest.json?.comments[0]).toMatchObject({ id: expect.any(String), created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/) });
    expect(texts((await call(sim, 'GET', `/rest/api/3/issue/${key}/comment`)).json)).toEqual(['first', 'second', 'third']);
    expect(texts((await call(sim, 'GET', `/rest/api/3/issue/${key}/comment?orderBy=created&startAt=1`)).json)).toEqual(['second', 'third']);
  });

  test.each([
    ['orderBy=summary', 400],
    ['maxResults=fifty', 400],
    ['startAt=-1', 400],
  ])('a bad parameter (%s) → %i', async (query, status) => {
    const key = await issueWithComments('x');
    const answer = await call(sim, 'GET', `/rest/api/3/issue/${key}/comment?${query}`);
    expect(answer.status).toBe(status);
    expect(answer.json?.errorMessages).toEqual([expect.any(String)]);
  });

  test('comments of an unknown issue → 404', async () => {
    expect((await call(sim, 'GET', '/rest/api/3/issue/SEC-999/comment')).status).toBe(404);
  });

  test('updateThenFail: the comment is stored, then the answer is a 500 or a dropped connection', async () => {
    const key = await issueWithComments();
    sim.faults.updateThenFail('status500');
    expect((await call(sim, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('landed') })).status).toBe(500);
    sim.faults.updateThenFail('drop');
    await expect(call(sim, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('landed too') })).rejects.toThrow();
    expect((await call(sim, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('answered') })).status).toBe(201);
    expect(texts((await call(sim, 'GET', `/rest/api/3/issue/${key}/comment`)).json)).toEqual(['landed', 'landed too', 'answered']);
  });

  test('updateThenFail hold: the comment is stored while its answer is held', async () => {
    const key = await issueWithComments();
    let release!: () => void;
    sim.faults.updateThenFail('hold', { until: new Promise<void>((r) => (release = r)) });
    const held = call(sim, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('held') });
    let settled = false;
    void held.then(() => (settled = true));
    // Wait (bounded) until the simulator has stored it; the answer must still be held then.
    for (let i = 0; i < 100 && !sim.issues().find((x) => x.key === key)?.comments.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    expect(texts((await call(sim, 'GET', `/rest/api/3/issue/${key}/comment`)).json)).toEqual(['held']);
    release();
    expect((await held).status).toBe(201);
  });

  test('a 503 fault answers an update without applying it; edits are not updates', async () => {
    const key = await issueWithComments();
    sim.faults.next(1, { status: 503, method: 'POST', path: '/comment' });
    expect((await call(sim, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('refused') })).status).toBe(503);
    sim.faults.updateThenFail('status500');
    expect((await call(sim, 'PUT', `/rest/api/3/issue/${key}`, { fields: { priority: { name: 'High' } } })).status).toBe(204);
    expect((await call(sim, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('second try') })).status).toBe(500);
    expect(texts((await call(sim, 'GET', `/rest/api/3/issue/${key}/comment`)).json)).toEqual(['second try']);
  });
});

test('Jira Data Center simulator serves v2 comments as the wiki strings posted', async () => {
  const sim = await startJiraSimulator({ deployment: 'server', projects: ['SEC'], apiToken: TOKEN, contextPath: '/jira' });
  try {
    const bearer = `Bearer ${TOKEN}`;
    const created = await call(sim, 'POST', '/rest/api/2/issue', { fields: fields({ description: 'text' }) }, bearer);
    await call(sim, 'POST', `/rest/api/2/issue/${created.json?.id}/comment`, { body: 'rhythmx\\-update\\-1' }, bearer);
    await call(sim, 'POST', `/rest/api/2/issue/${created.json?.id}/comment`, { body: 'later' }, bearer);
    const listed = await call(sim, 'GET', `/rest/api/2/issue/${created.json?.key}/comment?orderBy=-created&maxResults=50`, undefined, bearer);
    expect(listed.json?.comments.map((c: { body: string }) => c.body)).toEqual(['later', 'rhythmx\\-update\\-1']);
    expect(listed.json).toMatchObject({ startAt: 0, maxResults: 50, total: 2 });
  } finally {
    await sim.close();
  }
});
