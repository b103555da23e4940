// Issue 13, item 8 (part) and item 12, on the real Redis and PostgreSQL with the Jira simulator: a run
// whose request cannot be prepared records why on the delivery (an error of the database is thrown, the
// delivery untouched, so the job runs again); and an update run makes sure its lease covers both of Jira's
// calls (the priority, then the comment) before the first. Runs are driven with pushDelivery and the
// worker's own dependencies, one of them wrapped.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { TicketAdapter } from '@rhx/adapters';
import { poolOf } from '@rhx/db';
import { createPushDeps, pushDelivery, type AdapterProvider, type PushDeps } from '@rhx/push';
import type { JiraSimulator } from '@rhx/testing';
import type { Harness } from './harness.js';
import { startJiraHarness } from './jira-harness.js';
import { lifecycleApi, outcomes } from './lifecycle-helpers.js';

let h: Harness;
let jira: JiraSimulator;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ h, jira, close } = await startJiraHarness({ RETRY_BASE_DELAY_SECONDS: '1', RETRY_MAX_DELAY_SECONDS: '2' }));
  // No retry worker: the runs under test are the ones this file makes.
  h.startIngestWorker();
});
afterAll(() => close());

const api = lifecycleApi(() => h);

/** The worker's dependencies with Jira's adapter replaced by `wrap(adapter)`. */
function depsWith(base: PushDeps, wrap: (adapter: TicketAdapter) => Partial<TicketAdapter>): PushDeps {
  const adapters = {
    options: base.adapters.options,
    async forSystem(system: Parameters<AdapterProvider['forSystem']>[0]) {
      const target = await base.adapters.forSystem(system);
      if (!target.ready) return target;
      const real = target.adapter;
      const replaced = wrap(real);
      // Bound to the real adapter, so its private state works; `replaced` wins where it says.
      const adapter = new Proxy(real, {
        get: (t, key) => (key in replaced ? replaced[key as keyof TicketAdapter] : typeof t[key as keyof TicketAdapter] === 'function' ? (t[key as keyof TicketAdapter] as (...a: unknown[]) => unknown).bind(t) : t[key as keyof TicketAdapter]),
      });
      return { ready: true as const, adapter };
    },
  } as unknown as AdapterProvider;
  return { ...base, adapters };
}

/** A create delivery opened by Create ticket with no push worker running: PENDING, its job unconsumed. */
async function pendingCreate(id: string) {
  await api.ingested(id);
  const push = await api.push(id, 'jira');
  expect(push.statusCode).toBe(202);
  return { deliveryId: push.json().deliveryId as string, incidentId: id, system: 'jira' as const };
}

describe('a run whose request cannot be prepared', () => {
  test('an unexpected error (not a typed one) is recorded: FAILED, PREPARE_FAILED, with the reason; nothing is sent', async () => {
    const payload = await pendingCreate('PREP-BOOM');
    const deps = depsWith(createPushDeps(h.prisma, h.integrations, h.config, h.logger, { settingsTtlMs: 0 }), () => ({
      prepareCreate: async () => { throw new TypeError('boom'); },
    }));
    const before = jira.requests().length;
    const outcome = await pushDelivery(deps, payload);
    expect(outcome).toMatchObject({ kind: 'permanent', code: 'PREPARE_FAILED' });
    const d = await api.delivery(payload.deliveryId);
    expect(d).toMatchObject({ status: 'FAILED', lastErrorCode: 'PREPARE_FAILED', lastError: expect.stringContaining('TypeError: boom') });
    expect(jira.requests().slice(before).filter((r) => r.method === 'POST')).toEqual([]);
  });

  test('an error of the database (a SQLSTATE code) is thrown so the job runs again, and the delivery is left as it was', async () => {
    const payload = await pendingCreate('PREP-PG');
    const before = await h.prisma.delivery.findUniqueOrThrow({ where: { id: payload.deliveryId } });
    const gone = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const deps = depsWith(createPushDeps(h.prisma, h.integrations, h.config, h.logger, { settingsTtlMs: 0 }), () => ({
      prepareCreate: async () => { throw gone; },
    }));
    await expect(pushDelivery(deps, payload)).rejects.toBe(gone);
    expect(await h.prisma.delivery.findUniqueOrThrow({ where: { id: payload.deliveryId } })).toEqual(before);
    expect(before).toMatchObject({ status: 'PENDING', attempts: 0, lastError: null });
  });
});

describe('an update run and its lease', () => {
  // One call may take HTTP_CALL_MS; the lease is two calls and a margin. The look-up before the update
  // takes LOOKUP_MS, leaving more than one call's time but less than two: the run must renew first.
  const HTTP_CALL_MS = 5000;
  const MARGIN_MS = 1500;
  const LOOKUP_MS = 2500;

  test('after a slow look-up, the lease covers both of Jira\'s calls when the first starts', async () => {
    await api.ingested('LEASE-UPD', 'high-lateral-movement.json', { risk: { score: 75 } });
    const pusher = h.startPushWorker();
    const push = await api.push('LEASE-UPD', 'jira');
    const created = await api.settled(push.json().deliveryId, 'SUCCEEDED');
    const issue = jira.issues().find((i) => i.key === created.ticket.externalId)!;

    // The update's first attempt: Jira answers the priority change with a 500, so its outcome is unknown.
    jira.faults.next(1, { status: 500, body: { errorMessages: ['Internal server error'], errors: {} }, method: 'PUT', path: `/issue/${issue.id}` });
    const risk = await api.call('POST', '/v1/incidents/LEASE-UPD/risk', { score: 95, previousScore: 75, reason: 'credential dumping seen' });
    const update = risk.json().tickets.find((t: { system: string }) => t.system === 'jira');
    expect(update).toMatchObject({ push: true, deliveryId: expect.any(String) });
    const waiting = await api.settled(update.deliveryId, 'RETRY_WAIT');
    expect(outcomes(waiting)).toEqual(['1:UNKNOWN']);
    await pusher.close(5000);
    const pool = poolOf(h.prisma);
    await h.eventually(async () => (await pool.query('SELECT next_attempt_at <= now() AS due FROM deliveries WHERE id = $1', [update.deliveryId])).rows[0].due);

    const base = createPushDeps(h.prisma, h.integrations, { ...h.config, HTTP_TIMEOUT_MS: HTTP_CALL_MS }, h.logger, { settingsTtlMs: 0, leaseMarginMs: MARGIN_MS });
    let leftAtUpdateMs: number | undefined;
    const deps = depsWith(base, (real) => ({
      findUpdate: async (...args: Parameters<TicketAdapter['findUpdate']>) => {
        await new Promise((r) => setTimeout(r, LOOKUP_MS));
        return real.findUpdate(...args);
      },
      addUpdate: async (...args: Parameters<TicketAdapter['addUpdate']>) => {
        const { rows } = await pool.query('SELECT extract(epoch FROM lease_until - clock_timestamp()) * 1000 AS ms FROM deliveries WHERE id = $1', [update.deliveryId]);
        leftAtUpdateMs = Number(rows[0].ms);
        return real.addUpdate(...args);
      },
    }));
    const outcome = await pushDelivery(deps, { deliveryId: update.deliveryId, incidentId: 'LEASE-UPD', system: 'jira' });

    expect(outcome.kind).toBe('updated');
    expect(leftAtUpdateMs).toBeGreaterThanOrEqual(2 * base.callLimitMs);
    const done = await api.delivery(update.deliveryId);
    expect(done).toMatchObject({ status: 'SUCCEEDED' });
    expect(outcomes(done)).toEqual(['1:UNKNOWN', '2:SUCCEEDED']);
    const after = jira.issues().find((i) => i.key === issue.key)!;
    expect(after.fields.priority).toEqual({ name: 'Highest' });
    expect(after.comments.filter((c) => JSON.stringify(c).includes(`rhythmx-update-${update.deliveryId}`))).toHaveLength(1);
  }, 90_000);
});
