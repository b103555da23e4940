import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { HostPolicy } from './http/host-policy.js';
import { createAdapter } from './registry.js';
import { TicketError } from './ticket-error.js';

const TOKEN = 'host-guard-token-9f8e7d';
const publicOnly = new HostPolicy({ any: false, names: [], suffixes: [], networks: [] });
const loopbackListed = new HostPolicy({ any: false, names: [], suffixes: [], networks: ['127.0.0.0/8', '::1/128'] });

let server: Server;
let port: number;
const received: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'LISTENER-BODY-TEXT' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

function jira(baseUrl: string, options: { hostPolicy?: HostPolicy; trustedBaseUrls?: { jira: string } }) {
  return createAdapter('jira', { deployment: 'cloud', baseUrl, email: 'bot@acme.test', apiToken: TOKEN, projectKey: 'SEC' }, { httpTimeoutMs: 2000, ...options });
}

async function failure(promise: Promise<unknown>): Promise<TicketError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TicketError);
  return error as TicketError;
}

describe('connect-time host check', () => {
  test('a name that resolves to loopback is refused permanently before any byte is sent', async () => {
    const error = await failure(jira(`http://localhost:${port}`, { hostPolicy: publicOnly }).testConnection());
    expect(error).toMatchObject({ code: 'CONFIGURATION', retryable: false });
    expect(error.message).toBe('Jira Cloud was not contacted: localhost is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it');
    expect(received).toHaveLength(0);
  });

  test('an address literal is refused the same way', async () => {
    const error = await failure(jira(`http://127.0.0.1:${port}`, { hostPolicy: publicOnly }).createTicket({ system: 'jira', incidentId: 'X', summary: 's', description: 'd', priority: 'High', body: {} }));
    expect(error).toMatchObject({ code: 'CONFIGURATION', retryable: false });
    expect(error.message).toContain('127.0.0.1 is not a public address');
    expect(received).toHaveLength(0);
  });

  test('a listed range is reached, and the answer quotes none of the listener’s body', async () => {
    const error = await failure(jira(`http://localhost:${port}`, { hostPolicy: loopbackListed }).testConnection());
    expect(error).toMatchObject({ code: 'AUTHENTICATION', httpStatus: 401 });
    expect(error.message).not.toContain('LISTENER-BODY-TEXT');
    expect(received).toHaveLength(1);
  });

  test('the environment’s own URL is trusted without listing', async () => {
    const url = `http://127.0.0.1:${port}/`;
    await failure(jira(url, { hostPolicy: publicOnly, trustedBaseUrls: { jira: `http://127.0.0.1:${port}` } }).testConnection());
    expect(received).toHaveLength(1);
    await failure(jira(`http://127.0.0.1:${port}/other`, { hostPolicy: publicOnly, trustedBaseUrls: { jira: url } }).testConnection());
    expect(received).toHaveLength(1);
  });

  test('ServiceNow connects under the same check', async () => {
    const settings = { instanceUrl: `http://localhost:${port}`, username: 'u', password: 'p' };
    const error = await failure(createAdapter('servicenow', settings, { httpTimeoutMs: 2000, hostPolicy: publicOnly }).testConnection());
    expect(error).toMatchObject({ code: 'CONFIGURATION', retryable: false });
    expect(received).toHaveLength(0);
  });
});
