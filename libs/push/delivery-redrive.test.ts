import { describe, expect, test } from '@jest/globals';
import { redriveRefusal } from './delivery-redrive.js';
import type { RedriveTarget } from '@rhx/deliveries';

const base: RedriveTarget = {
  id: 'd-1', incidentId: 'INC-1', system: 'servicenow', status: 'PENDING', kind: 'create', attempts: 2, leaseLive: false, nextAttemptAt: null, ticket: null,
  ticketRetired: false, supersededBy: false,
};

describe('why a re-drive is refused', () => {
  test.each([
    [{ status: 'SUCCEEDED', ticket: { externalId: 'INC0010001', url: 'https://snow/x' } }, 'DELIVERY_SUCCEEDED', 'delivery d-1 already succeeded: servicenow ticket INC0010001'],
    [{ status: 'FAILED', ticket: { externalId: 'INC0010002', url: 'https://snow/y' } }, 'DELIVERY_SUCCEEDED', 'delivery d-1 already succeeded: servicenow ticket INC0010002'],
    [{ status: 'IN_PROGRESS', leaseLive: true }, 'DELIVERY_IN_FLIGHT', 'delivery d-1 cannot be re-driven: attempt 2 is calling servicenow now; wait for it to finish'],
    [{ status: 'IN_PROGRESS' }, 'DELIVERY_IN_FLIGHT', 'delivery d-1 cannot be re-driven: its last run stopped before finishing; the outbox sweeper runs it again within a minute'],
    [{ status: 'PENDING' }, 'DELIVERY_IN_FLIGHT', 'delivery d-1 cannot be re-driven: it is pending and will run without a re-drive'],
    [{ status: 'FAILED', kind: 'update', supersededBy: true }, 'DELIVERY_SUPERSEDED', "delivery d-1 cannot be re-driven: a newer risk change's update of the same ticket replaces it"],
    [{ status: 'SKIPPED', kind: 'update', ticketRetired: true }, 'TICKET_RETIRED', 'delivery d-1 cannot be re-driven: the servicenow ticket it updates no longer exists'],
    [{ status: 'RETRY_WAIT', nextAttemptAt: new Date('2026-12-01T10:00:00Z') }, 'DELIVERY_IN_FLIGHT', 'delivery d-1 cannot be re-driven: it is waiting to retry at 2026-12-01T10:00:00.000Z and will run without a re-drive'],
  ] as const)('%j', (change, code, message) => {
    expect(redriveRefusal({ ...base, ...change })).toMatchObject({ code, message, details: { status: change.status } });
  });
});
