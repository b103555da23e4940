import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { z } from 'zod';
import type { TargetSystem } from '@rhx/domain';
import { TicketError } from '../ticket-error.js';
import { JiraAdapter } from '../jira/jira.adapter.js';
import { jiraConfigSchema } from '../jira/jira.config.js';
import { ServiceNowAdapter } from '../servicenow/servicenow.adapter.js';
import { serviceNowConfigSchema } from '../servicenow/servicenow.config.js';
import type { CallClearance, CallThrottle } from './call-throttle.js';
import { ThrottledCallError } from './call-throttle.js';
import { errorForStatus } from './status-errors.js';
import { JsonClient } from './json-client.js';

const URL = 'https://acme.atlassian.net/rest/api/3/thing';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A throttle that records every call into `events`, in order with the requests the server saw. */
function recordingThrottle(events: string[], clearance: CallClearance = { send: true }): CallThrottle {
  return {
    beforeCall: async (system: TargetSystem) => {
      events.push(`beforeCall ${system}`);
      return clearance;
    },
    pause: async (system: TargetSystem, ms: number) => {
      events.push(`pause ${system} ${ms}`);
    },
  };
}

function client(throttle: CallThrottle): JsonClient {
  return new JsonClient({
    system: 'Jira Cloud',
    targetSystem: 'jira',
    headers: {},
    httpTimeoutMs: 2000,
    secrets: [],
    classify: (answer, ctx) => errorForStatus(answer, undefined, ctx),
    throttle,
  });
}

async function failure(promise: Promise<unknown>): Promise<TicketError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TicketError);
  return error as TicketError;
}

describe('JsonClient with a throttle', () => {
  test('every request asks the throttle first', async () => {
    const events: string[] = [];
    server.use(http.get(URL, () => (events.push('request'), HttpResponse.json({ ok: true }))));
    const jira = client(recordingThrottle(events));
    await jira.send({ method: 'GET', url: URL }, z.object({ ok: z.boolean() }));
    await jira.send({ method: 'GET', url: URL }, z.object({ ok: z.boolean() }));
    expect(events).toEqual(['beforeCall jira', 'request', 'beforeCall jira', 'request']);
  });

  test('a 429 with Retry-After: 3 pauses Jira for 3000 ms fleet-wide and still fails as RATE_LIMITED after 3000 ms', async () => {
    const events: string[] = [];
    server.use(http.get(URL, () => (events.push('request'), HttpResponse.json({}, { status: 429, headers: { 'retry-after': '3' } }))));
    const error = await failure(client(recordingThrottle(events)).send({ method: 'GET', url: URL }, z.unknown()));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, httpStatus: 429, retryAfterMs: 3000 });
    expect(error).not.toBeInstanceOf(ThrottledCallError);
    expect(events).toEqual(['beforeCall jira', 'request', 'pause jira 3000']);
  });

  test('a 429 without Retry-After and a 503 with one pause nothing', async () => {
    const events: string[] = [];
    server.use(
      http.get(URL, () => HttpResponse.json({}, { status: 429 }), { once: true }),
      http.get(URL, () => HttpResponse.json({}, { status: 503, headers: { 'retry-after': '5' } })),
    );
    const jira = client(recordingThrottle(events));
    expect(await failure(jira.send({ method: 'GET', url: URL }, z.unknown()))).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await failure(jira.send({ method: 'GET', url: URL }, z.unknown()))).toMatchObject({ code: 'REMOTE_UNAVAILABLE', retryAfterMs: 5000 });
    expect(events).toEqual(['beforeCall jira', 'beforeCall jira']);
  });

  test('a request the throttle holds back is never sent and fails retryable after the wait it reported', async () => {
    let requests = 0;
    server.use(http.get(URL, () => (requests++, HttpResponse.json({}))));
    const held = client(recordingThrottle([], { send: false, retryAfterMs: 42_500, reason: 'paused' }));
    const error = await failure(held.send({ method: 'GET', url: URL }, z.unknown()));
    expect(error).toBeInstanceOf(ThrottledCallError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 42_500, system: 'jira', reason: 'paused' });
    expect(error.httpStatus).toBeUndefined();
    expect(error.message).toContain('Jira Cloud');
    expect(requests).toBe(0);
  });
});

describe('adapters name their target system to the throttle by id', () => {
  test('Jira and ServiceNow adapters ask for jira and servicenow', async () => {
    const events: string[] = [];
    const throttle = recordingThrottle(events);
    server.use(
      http.get('https://acme.atlassian.net/rest/api/3/issue/10042', () =>
        HttpResponse.json({}, { status: 429, headers: { 'retry-after': '7' } }),
      ),
      http.get('https://acme.service-now.com/api/now/table/incident/abc', () =>
        HttpResponse.json({}, { status: 429, headers: { 'retry-after': '2' } }),
      ),
    );
    const jira = new JiraAdapter(
      jiraConfigSchema.parse({ deployment: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'a@b.test', apiToken: 't', projectKey: 'SEC' }),
      { httpTimeoutMs: 2000, throttle },
    );
    const snow = new ServiceNowAdapter(
      serviceNowConfigSchema.parse({ instanceUrl: 'acme.service-now.com', username: 'u', password: 'p' }),
      { httpTimeoutMs: 2000, throttle },
    );
    await failure(jira.readStatus({ system: 'jira', externalId: 'SEC-42', remoteId: '10042', url: '' }));
    await failure(snow.readStatus({ system: 'servicenow', externalId: 'INC1', remoteId: 'abc', url: '' }));
    expect(events).toEqual(['beforeCall jira', 'pause jira 7000', 'beforeCall servicenow', 'pause servicenow 2000']);
  });
});

describe('answers larger than 1 MiB', () => {
  const bigPage = `<html>${'x'.repeat(2 * 1024 * 1024)}</html>`;

  test('a 2xx answer of 2 MiB fails as a retryable unexpected response, naming the limit', async () => {
    server.use(http.get(URL, () => HttpResponse.json({ pad: 'x'.repeat(2 * 1024 * 1024) })));
    const error = await failure(client(recordingThrottle([])).send({ method: 'GET', url: URL }, z.unknown()));
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 });
    expect(error.message).toBe('Jira Cloud answered HTTP 200 with an unexpected response: an answer larger than 1 MiB as received; it was not read further');
  });

  test('an error answer with a 2 MiB page is still classified by its status, its body unread', async () => {
    server.use(http.get(URL, () => new HttpResponse(bigPage, { status: 503, headers: { 'content-type': 'text/html', 'retry-after': '4' } })));
    const events: string[] = [];
    const error = await failure(client(recordingThrottle(events)).send({ method: 'GET', url: URL }, z.unknown()));
    expect(error).toMatchObject({ code: 'REMOTE_UNAVAILABLE', retryable: true, httpStatus: 503, retryAfterMs: 4000 });
    expect(error.message).toBe('Jira Cloud answered HTTP 503 (a body larger than 1 MiB, not read)');
  });

  test('a 429 with a 2 MiB page still pauses the system for its Retry-After', async () => {
    server.use(http.get(URL, () => new HttpResponse(bigPage, { status: 429, headers: { 'retry-after': '3' } })));
    const events: string[] = [];
    const error = await failure(client(recordingThrottle(events)).send({ method: 'GET', url: URL }, z.unknown()));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3000 });
    expect(events).toEqual(['beforeCall jira', 'pause jira 3000']);
  });

  test('a body that is not the gzip its Content-Encoding says is an unexpected response', async () => {
    server.use(http.get(URL, () => new HttpResponse('{"not":"gzip"}', { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } })));
    const error = await failure(client(recordingThrottle([])).send({ method: 'GET', url: URL }, z.unknown()));
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 });
    expect(error.message).toBe('Jira Cloud answered HTTP 200 with an unexpected response: its compressed body could not be decoded');
  });
});
