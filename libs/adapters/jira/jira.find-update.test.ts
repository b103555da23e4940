import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { TicketError } from '../ticket-error.js';
import { JiraAdapter } from './jira.adapter.js';
import { jiraConfigSchema } from './jira.config.js';
import { noteToAdf, noteToWiki } from './jira.mapper.js';

const CLOUD = 'https://acme.atlassian.net';
const SERVER = 'https://jira.acme.test/jira';
const TOKEN = 'jira-token-SECRET-0123456789';
const MARKER = 'rhythmx-update-3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f';
const OTHER = 'rhythmx-update-00000000-8b7d-4c6e-9f10-2a3b4c5d6e7f';
const REF = { system: 'jira' as const, externalId: 'SEC-42', remoteId: '10042', url: '' };
const CLOUD_COMMENTS = `${CLOUD}/rest/api/3/issue/10042/comment`;
const SERVER_COMMENTS = `${SERVER}/rest/api/2/issue/10042/comment`;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function adapter(deployment: 'cloud' | 'server'): JiraAdapter {
  const settings =
    deployment === 'cloud'
      ? { deployment, baseUrl: CLOUD, email: 'soc@acme.test', apiToken: TOKEN, projectKey: 'SEC' }
      : { deployment, baseUrl: SERVER, apiToken: TOKEN, projectKey: 'SEC' };
  return new JiraAdapter(jiraConfigSchema.parse(settings), { httpTimeoutMs: 2000, now: () => Date.parse('2026-11-21T10:00:00Z') });
}

const page = (bodies: unknown[]) => ({
  comments: bodies.map((body, i) => ({ id: String(20000 + i), body, created: '2026-11-21T09:59:00.000+0000' })),
  startAt: 0,
  maxResults: 50,
  total: bodies.length,
});

async function failure(promise: Promise<unknown>): Promise<TicketError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TicketError);
  expect((error as TicketError).message).not.toContain(TOKEN);
  return error as TicketError;
}

describe('JiraAdapter.findUpdate', () => {
  test('Cloud reads the newest 50 comments of the issue, newest first, and finds the marker in ADF text', async () => {
    let query: Record<string, string> | undefined;
    server.use(
      http.get(CLOUD_COMMENTS, ({ request }) => {
        query = Object.fromEntries(new URL(request.url).searchParams);
        return HttpResponse.json(page([noteToAdf('Analyst note'), noteToAdf(`Risk rose to 91\n${MARKER}`)]));
      }),
    );
    expect(await adapter('cloud').findUpdate(REF, MARKER)).toBe('found');
    expect(query).toEqual({ orderBy: '-created', maxResults: '50' });
    expect(await adapter('cloud').findUpdate(REF, OTHER)).toBe('absent');
  });

  test('Cloud finds a marker that marks split into several text nodes, and none in attributes', async () => {
    const split = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: MARKER.slice(0, 15) }, { type: 'text', text: MARKER.slice(15), marks: [{ type: 'code' }] }] },
        { type: 'paragraph' },
      ],
    };
    const inLinkOnly = { type: 'doc', version: 1, content: [{ type: 'inlineCard', attrs: { url: `https://x.test/${OTHER}` } }] };
    server.use(http.get(CLOUD_COMMENTS, () => HttpResponse.json(page([split, inLinkOnly]))));
    expect(await adapter('cloud').findUpdate(REF, MARKER)).toBe('found');
    expect(await adapter('cloud').findUpdate(REF, OTHER)).toBe('absent');
  });

  test('Data Center finds the marker in a wiki body it escaped on the way in (rhythmx\\-update\\-…)', async () => {
    const body = noteToWiki(`Risk rose\n${MARKER}`);
    expect(body).not.toContain(MARKER);
    server.use(http.get(SERVER_COMMENTS, () => HttpResponse.json(page(['plain text', body]))));
    expect(await adapter('server').findUpdate(REF, MARKER)).toBe('found');
    expect(await adapter('server').findUpdate(REF, OTHER)).toBe('absent');
  });

  test('no comments at all is absent', async () => {
    server.use(http.get(SERVER_COMMENTS, () => HttpResponse.json(page([]))));
    expect(await adapter('server').findUpdate(REF, MARKER)).toBe('absent');
  });

  test('a marker that is not one word is refused without a request', async () => {
    const error = await failure(adapter('cloud').findUpdate(REF, 'x" OR 1=1'));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    expect(await failure(adapter('cloud').findUpdate(REF, ''))).toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

type Answer = () => Response;
const json = (body: JsonBodyType, status: number) => () => HttpResponse.json(body, { status });

describe('JiraAdapter.findUpdate error paths', () => {
  test.each<[string, 'cloud' | 'server', Answer, Partial<TicketError>]>([
    ['404 (issue gone or hidden)', 'cloud', json({ errorMessages: ['Issue does not exist or you do not have permission to see it.'] }, 404), { code: 'NOT_FOUND', retryable: false, httpStatus: 404 }],
    ['401', 'cloud', json({ errorMessages: ['You are not authenticated.'] }, 401), { code: 'AUTHENTICATION', retryable: true, httpStatus: 401 }],
    ['403', 'server', json({ errorMessages: ['Forbidden'] }, 403), { code: 'PERMISSION', retryable: true, httpStatus: 403 }],
    ['500', 'cloud', json({ errorMessages: ['Internal server error'] }, 500), { code: 'REMOTE_UNAVAILABLE', retryable: true, httpStatus: 500 }],
    ['502', 'server', () => new HttpResponse('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }), { code: 'REMOTE_UNAVAILABLE', retryable: true, httpStatus: 502 }],
    ['connection reset', 'cloud', () => HttpResponse.error(), { code: 'NETWORK', retryable: true }],
    ['HTML instead of JSON', 'cloud', () => new HttpResponse('<html><body>Log in</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }), { code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 }],
    ['a v3 body that is not ADF', 'cloud', json(page(['a wiki string']), 200), { code: 'UNEXPECTED_RESPONSE', retryable: true }],
    ['a v2 body that is not a string', 'server', json(page([noteToAdf(MARKER)]), 200), { code: 'UNEXPECTED_RESPONSE', retryable: true }],
    ['no comments list', 'cloud', json({ values: [] }, 200), { code: 'UNEXPECTED_RESPONSE', retryable: true }],
  ])('%s (%s)', async (_name, deployment, answer, expected) => {
    server.use(http.get(deployment === 'cloud' ? CLOUD_COMMENTS : SERVER_COMMENTS, answer));
    expect(await failure(adapter(deployment).findUpdate(REF, MARKER))).toMatchObject(expected);
  });
});
