import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostPolicy } from '../http/host-policy.js';
import { createAdapter } from '../registry.js';
import { TicketError } from '../ticket-error.js';
import type { AdapterOptions } from '../adapter-options.js';

// A real https server with a certificate made for this run: self-signed, so only a client that does
// not verify accepts it.
let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rhx-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"result":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const proactive = (options: Partial<AdapterOptions>) =>
  createAdapter('servicenow', { baseUrl: `${base}/api/proactive/v1`, appId: 'app', secret: 'tls-test-secret', serviceIdentifier: 'CI1' }, {
    httpTimeoutMs: 5000, ticketIntegration: 'proactive', ...options,
  });

async function rejection(promise: Promise<unknown>): Promise<TicketError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TicketError);
  return error as TicketError;
}

describe('TLS certificate verification of the Proactive Case API', () => {
  test('is on by default: a self-signed certificate is refused, named', async () => {
    const error = await rejection(proactive({}).testConnection());
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(error.message).toMatch(/^Proactive Case API TLS certificate was not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  });

  test('is off only with proactiveVerifyTls: false, and the test says so', async () => {
    expect((await proactive({ proactiveVerifyTls: false }).testConnection()).message).toMatch(/TLS certificate verification is OFF$/);
  });

  test('the switch does not leak to verifying clients sharing the guarded agents of one host policy', async () => {
    const hostPolicy = new HostPolicy({ any: false, names: [], suffixes: [], networks: ['127.0.0.1/32'] });
    expect((await proactive({ proactiveVerifyTls: false, hostPolicy }).testConnection()).message).toMatch(/OFF$/);
    expect((await rejection(proactive({ hostPolicy }).testConnection())).message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT/);
  });

  test('never applies to the Table API or Jira', async () => {
    const options = { httpTimeoutMs: 5000, proactiveVerifyTls: false };
    const snow = createAdapter('servicenow', { instanceUrl: base, username: 'u', password: 'p' }, options);
    const jira = createAdapter('jira', { deployment: 'server', baseUrl: base, apiToken: 't', projectKey: 'SEC' }, options);
    // Refused, and said plainly: a certificate problem is a setting to change, not a network blip to retry.
    expect(await rejection(snow.testConnection())).toMatchObject({ code: 'CONFIGURATION', retryable: false, message: expect.stringContaining('self-signed') });
    expect(await rejection(jira.testConnection())).toMatchObject({ code: 'CONFIGURATION', retryable: false, message: expect.stringContaining('self-signed') });
  });
});
