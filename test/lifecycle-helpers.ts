import { expect } from '@jest/globals';
import { apiCaller, readFixture, type Harness } from './harness.js';

/** An attempt as `GET /v1/deliveries/:id` shows it. */
export interface AttemptView {
  number: number;
  outcome: string;
  code: string | null;
  startedAt: string;
  finishedAt: string | null;
  waitReason?: string | null;
}

/**
 * What an analyst and an operator do through the API in the delivery lifecycle tests: post an incident
 * and wait for it to be ingested, click Create ticket, re-drive, read deliveries and incidents.
 */
export function lifecycleApi(harness: () => Harness) {
  const { call } = apiCaller(harness);
  const h = () => harness();
  const incident = async (id: string) => (await call('GET', `/v1/incidents/${id}`)).json();
  const delivery = async (id: string) => (await call('GET', `/v1/deliveries/${id}`)).json();
  return {
    call,
    incident,
    delivery,
    /** `POST /v1/incidents/:id/tickets`, the console's Create ticket. */
    push: (id: string, target: 'jira' | 'servicenow') => call('POST', `/v1/incidents/${id}/tickets`, { target }),
    /** `POST /v1/deliveries/:id/retry`, an operator's re-drive. */
    redrive: (deliveryId: string) => call('POST', `/v1/deliveries/${deliveryId}/retry`),
    /** Posts the fixture as incident `id` and waits until a worker ingested it. */
    async ingested(id: string, fixture = 'critical-exfiltration.json', extra: Record<string, unknown> = {}) {
      expect((await call('POST', '/v1/incidents', { ...readFixture(fixture), id, ...extra })).statusCode).toBe(202);
      await h().eventually(async () => (await incident(id)).status === 'ingested', 30_000);
    },
    /** The delivery once its status is `status` (generous: a loaded machine may be slow). */
    settled: (deliveryId: string, status: string, timeoutMs = 60_000) =>
      h().eventually(async () => {
        const d = await delivery(deliveryId);
        return d.status === status ? d : undefined;
      }, timeoutMs),
    /** The incident's history actions (read from the database, whatever shape the history route answers in). */
    async actions(id: string, prefix = 'TICKET_'): Promise<string[]> {
      const rows = await h().prisma.incidentHistory.findMany({ where: { incidentId: id }, orderBy: { id: 'asc' } });
      return rows.map((r) => r.action).filter((a) => a.startsWith(prefix));
    },
  };
}

/** `number:outcome` of each attempt, oldest first. */
export const outcomes = (d: { attempts: AttemptView[] }) => d.attempts.map((a) => `${a.number}:${a.outcome}`);
