import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { Incident } from '@rhx/domain';
import type { SimulatorFaults } from '@rhx/testing';
import { loadIncidentFixture } from './incident.fixtures.js';
import type { TicketAdapter, TicketReference } from './ticket-adapter.js';
import { TicketError } from './ticket-error.js';

/** One adapter wired to a running simulator of its system, as the conformance suite needs it. */
export interface ConformanceTarget {
  /** Correct settings. */
  adapter: TicketAdapter;
  /** The same remote, a wrong secret. */
  withBadCredentials: TicketAdapter;
  /** The same remote, a setting that names nothing there (unknown project, unknown group). */
  misconfigured: TicketAdapter;
  /** Whether the remote offers a way to read updates back (`findUpdate` answers `found`/`absent`, else `unknown`). */
  readsUpdatesBack: boolean;
  /** Secrets no error message may contain. */
  secrets: string[];
  faults: SimulatorFaults;
  /** Raw bodies of the create requests the remote received, in order. */
  createBodies(): string[];
  /** How many tickets the remote holds for an incident. */
  ticketsFor(incidentId: string): number;
  /** Closes a ticket on the remote, as a person working it would. */
  closeTicket(ref: TicketReference): void;
  /** OAuth targets: the remote's token endpoint, to expire every token it issued and count them. */
  tokens?: { expireAll(): void; issued(): number };
  stop(): Promise<void>;
}

let sequence = 0;

/** A sample incident under a fresh id, so tests never see each other's tickets. */
function sampleIncident(fixture = 'critical-credential-access'): Incident {
  sequence += 1;
  return { ...loadIncidentFixture(fixture), id: `CONF-${Date.now().toString(36)}-${sequence}` };
}

async function rejection(promise: Promise<unknown>, secrets: readonly string[]): Promise<TicketError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TicketError);
  for (const secret of secrets) expect((error as TicketError).message).not.toContain(secret);
  return error as TicketError;
}

/**
 * The behaviour every {@link TicketAdapter} must show against real loopback HTTP: connection
 * checks, create with the previewed body, idempotent look-up, updates, status, retryable and
 * permanent failures, adoption of a ticket whose create answer was lost, and reading an update
 * back by its marker (whether its answer was lost or it was refused before it was applied).
 */
export function describeAdapterConformance(name: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`${name} conformance`, () => {
    let target: ConformanceTarget | undefined;
    const t = (): ConformanceTarget => {
      if (!target) throw new Error('conformance target not set up');
      return target;
    };
    beforeAll(async () => {
      target = await setup();
    });
    afterEach(() => t().faults.clear());
    afterAll(() => t().stop());

    connectionTests(t);
    lifecycleTests(t);
    failureTests(t);
    adoptionTests(t);
    updateLookupTests(t);
  });
}

type Target = () => ConformanceTarget;

async function create(t: Target, incident: Incident): Promise<TicketReference> {
  return t().adapter.createTicket(await t().adapter.prepareCreate(incident));
}

function connectionTests(t: Target): void {
  test('testConnection resolves with a message', async () => {
    expect((await t().adapter.testConnection()).message).toMatch(/\S/);
  });

  test('testConnection with bad credentials is a retryable AUTHENTICATION error without secrets', async () => {
    const error = await rejection(t().withBadCredentials.testConnection(), t().secrets);
    expect(error).toMatchObject({ code: 'AUTHENTICATION', retryable: true, httpStatus: 401 });
  });
}

/** OAuth targets only: a token is fetched once and reused; an expired one is fetched again once, and the call goes through. */
export function tokenTests(name: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`${name}: access tokens`, () => {
    let target: ConformanceTarget | undefined;
    beforeAll(async () => {
      target = await setup();
    });
    afterAll(() => target?.stop());

    test('one token serves many calls; once it has expired, the next call fetches one new token and succeeds', async () => {
      const t = target!;
      const tokens = t.tokens!;
      await t.adapter.testConnection();
      const before = tokens.issued();
      const ref = await t.adapter.createTicket(await t.adapter.prepareCreate(sampleIncident()));
      await t.adapter.readStatus(ref);
      expect(tokens.issued()).toBe(before);
      tokens.expireAll();
      await expect(t.adapter.readStatus(ref)).resolves.toBeDefined();
      expect(tokens.issued()).toBe(before + 1);
    });

  });
}

function lifecycleTests(t: Target): void {
  test('createTicket sends the previewed body byte for byte and returns a reference with a link', async () => {
    const request = await t().adapter.prepareCreate(sampleIncident());
    expect(request.summary).toMatch(/\S/);
    expect(request.description).toMatch(/\S/);
    expect(request.priority).toMatch(/\S/);
    const ref = await t().adapter.createTicket(request);
    expect(t().createBodies().at(-1)).toBe(JSON.stringify(request.body));
    expect(ref).toMatchObject({ system: t().adapter.system, externalId: expect.any(String), remoteId: expect.any(String) });
    expect(ref.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  test('findExisting finds the ticket of an incident and null for another incident', async () => {
    const incident = sampleIncident('high-lateral-movement');
    const ref = await create(t, incident);
    expect(await t().adapter.findExisting(incident.id)).toEqual(ref);
    expect(await t().adapter.findExisting(sampleIncident().id)).toBeNull();
  });

  test('addUpdate with and without a new level; readStatus open, then closed once the remote closes it', async () => {
    const ref = await create(t, sampleIncident('medium-recon'));
    await t().adapter.addUpdate(ref, 'Risk rose from 52 to 91: new rule *Mimikatz* {code}', 'CRITICAL');
    await t().adapter.addUpdate(ref, 'Analyst note');
    expect(await t().adapter.readStatus(ref)).toMatchObject({ open: true, state: expect.any(String) });
    t().closeTicket(ref);
    expect(await t().adapter.readStatus(ref)).toMatchObject({ open: false });
  });
}

function failureTests(t: Target): void {
  test('503 with Retry-After is retryable and says when', async () => {
    const request = await t().adapter.prepareCreate(sampleIncident());
    t().faults.next(1, { status: 503, retryAfter: 7 });
    const error = await rejection(t().adapter.createTicket(request), t().secrets);
    expect(error).toMatchObject({ code: 'REMOTE_UNAVAILABLE', retryable: true, httpStatus: 503, retryAfterMs: 7000 });
  });

  test('an HTML page instead of JSON is a retryable UNEXPECTED_RESPONSE', async () => {
    t().faults.next(1, { html: true });
    const error = await rejection(t().adapter.findExisting(sampleIncident().id), t().secrets);
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: true });
  });

  test('a dropped connection is a retryable NETWORK error', async () => {
    const ref = await create(t, sampleIncident());
    t().faults.next(1, { dropConnection: true });
    expect(await rejection(t().adapter.readStatus(ref), t().secrets)).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  test('a setting that names nothing on the remote fails permanently', async () => {
    const misconfigured = t().misconfigured;
    const error = await rejection(
      misconfigured.prepareCreate(sampleIncident()).then((request) => misconfigured.createTicket(request)),
      t().secrets,
    );
    expect(error.retryable).toBe(false);
  });
}

function adoptionTests(t: Target): void {
  test.each(['drop', 'status500'] as const)('create answer lost (%s) → findExisting adopts the one ticket', async (mode) => {
    const incident = sampleIncident('critical-exfiltration');
    t().faults.createThenFail(mode);
    const error = await rejection(create(t, incident), t().secrets);
    expect(error.retryable).toBe(true);
    expect(await t().adapter.findExisting(incident.id)).toMatchObject({ system: t().adapter.system });
    expect(t().ticketsFor(incident.id)).toBe(1);
  });
}

function updateLookupTests(t: Target): void {
  const marker = () => `rhythmx-update-${randomUUID()}`;
  // What findUpdate must say where the system can read updates back; 'unknown' everywhere else.
  const expected = (presence: 'found' | 'absent') => (t().readsUpdatesBack ? presence : 'unknown');

  test('findUpdate: absent before the update, found after it, absent for another marker', async () => {
    const ref = await create(t, sampleIncident('medium-recon'));
    const mine = marker();
    expect(await t().adapter.findUpdate(ref, mine)).toBe(expected('absent'));
    await t().adapter.addUpdate(ref, `Risk rose from 52 to 91: new rule *Mimikatz*\n${mine}`, 'CRITICAL');
    expect(await t().adapter.findUpdate(ref, mine)).toBe(expected('found'));
    expect(await t().adapter.findUpdate(ref, marker())).toBe(expected('absent'));
  });

  test.each(['status500', 'drop'] as const)('an update whose answer was lost (%s) is found by its marker', async (mode) => {
    const ref = await create(t, sampleIncident());
    const mine = marker();
    t().faults.updateThenFail(mode);
    const error = await rejection(t().adapter.addUpdate(ref, `Risk changed\n${mine}`, 'HIGH'), t().secrets);
    expect(error.retryable).toBe(true);
    expect(await t().adapter.findUpdate(ref, mine)).toBe(expected('found'));
  });

  test('an update refused with 503 before it was applied is absent', async () => {
    const ref = await create(t, sampleIncident());
    const mine = marker();
    t().faults.next(1, { status: 503 });
    const error = await rejection(t().adapter.addUpdate(ref, `Risk changed\n${mine}`), t().secrets);
    expect(error).toMatchObject({ code: 'REMOTE_UNAVAILABLE', retryable: true });
    expect(await t().adapter.findUpdate(ref, mine)).toBe(expected('absent'));
  });
}
