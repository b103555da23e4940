import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startProactiveSimulator, type ProactiveSimulator } from '@rhx/testing';
import { auth, fixtureNames, readFixture, readRaw, startHarness, type Harness, apiCaller } from './harness.js';
import { syncCycle } from './sync-harness.js';

// End to end in proactive mode: real Redis, PostgreSQL, ingest and push workers, the API, and the
// Proactive Case API simulator serving the `servicenow` target.
const SECRET = 'proactive-e2e-secret-93b7';
const APP_ID = 'rhx-e2e';
const BASIC = Buffer.from(`${APP_ID}:${SECRET}`).toString('base64');

let h: Harness;
let sim: ProactiveSimulator;

const { call, responses } = apiCaller(() => h);
const ticketsOf = async (id: string) => (await call('GET', `/v1/incidents/${id}`)).json().tickets as { system: string; externalId: string; url: string }[];

beforeAll(async () => {
  sim = await startProactiveSimulator({ appId: APP_ID, secret: SECRET, serviceIdentifiers: ['CI0012345'] });
  h = await startHarness({
    TICKET_INTEGRATION: 'proactive',
    PROACTIVE_SNOW_BASE_URL: sim.url,
    PROACTIVE_SNOW_APP_ID: APP_ID,
    PROACTIVE_SNOW_SECRET: SECRET,
    PROACTIVE_SNOW_SERVICE_IDENTIFIER: 'CI0012345',
    SNOW_ENABLED: 'true',
    RHYTHMX_BASE_URL: 'https://rhythmx.example',
  });
  h.startIngestWorker();
  h.startPushWorker();
});
afterAll(async () => {
  await h.close();
  await sim.close();
});

describe('auto-push of the fixtures in proactive mode', () => {
  const critical = fixtureNames().filter((n) => (readFixture(n).risk as { score: number }).score >= 85);

  test('the critical fixtures make one case each, priority "1", as the spec describes', async () => {
    expect(critical.length).toBeGreaterThan(0);
    expect((await call('PUT', '/v1/auto-push', { enabled: true, minSeverity: 'CRITICAL', targets: ['servicenow'] })).statusCode).toBe(200);
    for (const name of fixtureNames()) expect((await call('POST', '/v1/incidents', JSON.parse(readRaw(name)))).statusCode).toBe(202);
    for (const name of critical) {
      const id = readFixture(name).id;
      const [ref] = await h.eventually(async () => {
        const t = await ticketsOf(id);
        return t.length === 1 ? t : undefined;
      }, 30_000);
      const cases = sim.casesFor(id);
      expect(cases).toHaveLength(1);
      const made = cases[0]!;
      expect(ref).toMatchObject({ system: 'servicenow', externalId: made.caseNumber, url: `${new URL(sim.url).origin}/case?number=${made.caseNumber}` });
      expect(made).toMatchObject({
        table: 'Case',
        serviceIdentifier: 'CI0012345',
        externalId: id,
        priority: '1',
        category: 'Security Incident',
        deepLink: `https://rhythmx.example/incidents/${id}`,
        ticketStatus: 'New',
      });
      expect(made.shortDescription).toMatch(/^\[RhythmX\] CRITICAL risk/);
      expect(made.description.length).toBeGreaterThan(0);
    }
    expect(sim.cases()).toHaveLength(critical.length);
    const creates = sim.requests().filter((r) => r.method === 'POST' && r.path === '/cases');
    expect(creates.every((r) => r.headers.authorization === `Basic ${BASIC}` && r.headers.source === 'Managed_services')).toBe(true);
  });

  test('incidents below the threshold get no delivery and no case', async () => {
    for (const name of fixtureNames().filter((n) => !critical.includes(n))) {
      const view = (await call('GET', `/v1/incidents/${readFixture(name).id}`)).json();
      expect(view.deliveries).toEqual([]);
      expect(sim.casesFor(readFixture(name).id)).toHaveLength(0);
    }
  });
});

describe('preview and manual push', () => {
  test('the preview body is byte for byte the create body; the priority follows the risk level', async () => {
    const id = readFixture('medium-recon.json').id;
    const preview = (await call('GET', `/v1/incidents/${id}/ticket-preview?target=servicenow`)).json();
    expect(preview).toMatchObject({ target: 'servicenow', priority: '3 - Moderate', body: { externalId: id, priority: '3', table: 'Case' } });
    const before = sim.requests().length;
    expect((await call('POST', `/v1/incidents/${id}/tickets`, { target: 'servicenow' })).statusCode).toBe(202);
    await h.eventually(async () => (await ticketsOf(id)).length === 1);
    const create = sim.requests().slice(before).find((r) => r.method === 'POST' && r.path === '/cases')!;
    expect(create.body).toBe(JSON.stringify(preview.body));
    expect(sim.casesFor(id)).toHaveLength(1);
    const again = await call('POST', `/v1/incidents/${id}/tickets`, { target: 'servicenow' });
    expect(again.statusCode).toBe(409);
  });
});

describe('a wrong service identifier', () => {
  test('fails the delivery at once with the provider’s message, in the delivery, the incident and the logs', async () => {
    expect((await call('PUT', '/v1/integrations/servicenow', { serviceIdentifier: 'CI9999999' })).statusCode).toBe(200);
    const id = readFixture('high-lateral-movement.json').id;
    const push = await call('POST', `/v1/incidents/${id}/tickets`, { target: 'servicenow' });
    expect(push.statusCode).toBe(202);
    const { deliveryId } = push.json() as { deliveryId: string };
    const delivery = await h.eventually(async () => {
      const d = (await call('GET', `/v1/deliveries/${deliveryId}`)).json();
      return d.status === 'FAILED' ? d : undefined;
    });
    expect(delivery).toMatchObject({ system: 'servicenow', lastError: 'serviceIdentifier is not available', lastErrorCode: 'CONFIGURATION', nextAttemptAt: null });
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]).toMatchObject({ outcome: 'FAILED', httpStatus: 400, message: 'serviceIdentifier is not available' });
    const view = (await call('GET', `/v1/incidents/${id}`)).json();
    expect(view.tickets).toEqual([]);
    expect(view.deliveries.find((d: { system: string }) => d.system === 'servicenow')).toMatchObject({ status: 'FAILED', lastError: 'serviceIdentifier is not available' });
    expect(h.logs.lines.some((l) => l.includes('serviceIdentifier is not available') && l.includes(deliveryId))).toBe(true);
    expect(sim.casesFor(id)).toHaveLength(0);
    await call('PUT', '/v1/integrations/servicenow', { serviceIdentifier: 'CI0012345' });
  });
});

describe('bi-directional sync against the Proactive simulator', () => {
  test('an analyst’s “Resolved” closes the incident within one sync cycle, with its EXTERNAL_SYNC row; the case is then no longer read', async () => {
    const id = readFixture('critical-exfiltration.json').id;
    const [ref] = await ticketsOf(id);
    const cycle = syncCycle(h, { integration: 'proactive' });
    await cycle.run();
    expect((await call('GET', `/v1/incidents/${id}`)).json()).toMatchObject({ analystStatus: 'NEW', snowTicketState: 'New' });

    sim.setStatus(ref!.externalId, 'Work In Progress'); // the older spelling
    await cycle.run();
    expect((await call('GET', `/v1/incidents/${id}`)).json()).toMatchObject({ analystStatus: 'IN_PROGRESS', snowTicketState: 'Work In Progress' });

    sim.setStatus(ref!.externalId, 'Resolved', 'contained and cleaned');
    await cycle.run();
    const view = (await call('GET', `/v1/incidents/${id}`)).json();
    expect(view).toMatchObject({ analystStatus: 'CLOSED', snowTicketState: 'Resolved' });
    expect(view.snowLastPolledAt).toEqual(expect.any(String));
    const synced = ((await call('GET', `/v1/incidents/${id}/history?limit=200`)).json().items as { action: string; source: string; oldValue: Record<string, unknown>; newValue: Record<string, unknown> }[])
      .filter((r) => r.action === 'EXTERNAL_SYNC');
    expect(synced.map((r) => [r.source, r.oldValue.analystStatus, r.newValue.analystStatus])).toEqual([
      ['proactive-snow-sync', 'NEW', 'IN_PROGRESS'],
      ['proactive-snow-sync', 'IN_PROGRESS', 'CLOSED'],
    ]);
    await cycle.run(); // a resolved case is no longer read: three reads in four cycles
    expect(sim.requests().filter((r) => r.method === 'GET' && r.path === `/cases/${ref!.externalId}`).length).toBe(3);
  });
});

test('no secret appears in any API answer or log line of the run', () => {
  const everything = responses.join('\n') + h.logs.lines.join('');
  for (const secret of [SECRET, BASIC]) expect(everything).not.toContain(secret);
  expect(h.logs.lines.length).toBeGreaterThan(10);
});
