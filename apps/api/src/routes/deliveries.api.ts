import { z } from 'zod';
import { incidentIdSchema, opaqueCursor, queryInteger, targetSystemSchema } from '@rhx/domain';
import { ATTEMPT_OUTCOMES, DELIVERY_KINDS, DELIVERY_STATUSES, decodeDeliveryCursor } from '@rhx/push';
import { describeRoute, errorResponse } from '../openapi/route-description.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

// Strict: a misspelt filter (`?stauts=FAILED`) is a 400, not the whole unfiltered list.
export const deliveryListQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  system: targetSystemSchema.optional(),
  kind: z.enum(DELIVERY_KINDS).optional(),
  incidentId: incidentIdSchema.optional(),
  limit: queryInteger(1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
  cursor: opaqueCursor(decodeDeliveryCursor)
    .optional()
    .describe('The previous page’s `nextCursor`, unchanged.'),
});
export const deliveryIdParams = z.object({ id: z.uuid('must be a delivery id (a UUID)') });

const instant = z.iso.datetime();
const summaryFields = {
  id: z.uuid(),
  incidentId: z.string(),
  system: targetSystemSchema,
  status: z.enum(DELIVERY_STATUSES),
  trigger: z.string().describe('What made it: `auto` (auto-push), `manual` (a push or re-drive) or `risk` (a risk change’s update).'),
  kind: z.enum(DELIVERY_KINDS).describe('`create` makes the ticket; `update` adds one risk change’s update to it; `resolve` closes it.'),
  riskChangeId: z.string().regex(/^\d+$/).optional().describe('For an update: the `RISK_CHANGED` history row it carries.'),
  generation: z.number().int().min(1).describe('The ticket generation it makes or acts on: 1, or 2… once an earlier ticket vanished and an analyst pushed again.'),
  lastError: z.string().nullable().describe('The remote’s message of the latest failure; kept across a re-drive until the delivery succeeds.'),
  lastErrorCode: z.string().nullable(),
  nextAttemptAt: instant.nullable().describe('When a RETRY_WAIT delivery is due again.'),
  createdAt: instant,
  updatedAt: instant,
  ticket: z.object({ externalId: z.string(), url: z.string() }).nullable(),
};
const deliverySummarySchema = z.object({ ...summaryFields, attempts: z.number().int().describe('How many attempts were started.') });
const attemptSchema = z.object({
  number: z.number().int(),
  startedAt: instant,
  finishedAt: instant.nullable(),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  code: z.string().nullable(),
  httpStatus: z.number().int().nullable(),
  message: z.string().nullable().describe('The remote’s own message (or the transport’s), without credentials.'),
  waitMs: z.number().int().nullable().describe('The wait chosen before the next attempt.'),
  waitReason: z.string().nullable().describe('Why that wait: `backoff`, `retry-after` (the remote asked), or `outcome-settle` (a create whose answer was lost waits before its look-up).'),
  level: z.string().nullable().describe('The risk level the attempt’s request carried (the priority it set).'),
});
const deliveryDetailSchema = z.object({ ...summaryFields, attempts: z.array(attemptSchema).describe('Every attempt, oldest first.') });

const summaryExample = {
  id: '0b6f2f4e-8d1a-4c55-9a3e-2f1d7c9b6a10',
  incidentId: 'INC-2026-0004',
  system: 'jira',
  status: 'RETRY_WAIT',
  trigger: 'auto',
  kind: 'create',
  generation: 1,
  attempts: 1,
  lastError: 'Jira answered 503: Service Unavailable',
  lastErrorCode: 'REMOTE_UNAVAILABLE',
  nextAttemptAt: '2026-11-20T08:00:32.000Z',
  createdAt: '2026-11-20T08:00:01.311Z',
  updatedAt: '2026-11-20T08:00:02.104Z',
  ticket: null,
};
const notFound = errorResponse('No delivery has this id.', 'DELIVERY_NOT_FOUND', 'delivery 0b6f2f4e-8d1a-4c55-9a3e-2f1d7c9b6a10 is not known');

export const deliveryApi = {
  list: describeRoute({
    method: 'GET',
    path: '/v1/deliveries',
    operationId: 'listDeliveries',
    tag: 'Deliveries',
    summary: 'Deliveries, newest first, one page at a time',
    description: 'Keyset paging: pass `nextCursor` back as `cursor` for the next (older) page; rows created meanwhile never shift a page. An unknown filter is a 400.',
    query: deliveryListQuery,
    responses: {
      200: {
        description: 'One page.',
        schema: z.object({ items: z.array(deliverySummarySchema), nextCursor: z.string().nullable().describe('Null on the last page.') }),
        examples: { page: { summary: 'A delivery waiting to retry', value: { items: [summaryExample], nextCursor: null } } },
      },
    },
  }),
  get: describeRoute({
    method: 'GET',
    path: '/v1/deliveries/:id',
    operationId: 'getDelivery',
    tag: 'Deliveries',
    summary: 'One delivery with every attempt',
    params: deliveryIdParams,
    responses: {
      200: {
        description: 'The delivery and its attempts, as of one moment.',
        schema: deliveryDetailSchema,
        examples: {
          retrying: {
            summary: 'Its first attempt failed; it waits for the second',
            value: {
              ...summaryExample,
              attempts: [
                {
                  number: 1, startedAt: '2026-11-20T08:00:01.420Z', finishedAt: '2026-11-20T08:00:02.100Z', outcome: 'FAILED', code: 'REMOTE_UNAVAILABLE',
                  httpStatus: 503, message: 'Jira answered 503: Service Unavailable', waitMs: 30000, waitReason: 'backoff', level: 'CRITICAL',
                },
              ],
            },
          },
        },
      },
      404: notFound,
    },
  }),
  retry: describeRoute({
    method: 'POST',
    path: '/v1/deliveries/:id/retry',
    operationId: 'retryDelivery',
    tag: 'Deliveries',
    summary: 'Re-drive a failed or exhausted delivery',
    params: deliveryIdParams,
    responses: {
      202: {
        description: 'Queued again.',
        schema: z.object({ deliveryId: z.uuid(), status: z.literal('PENDING') }),
        examples: { queued: { summary: 'Queued again', value: { deliveryId: summaryExample.id, status: 'PENDING' } } },
      },
      404: notFound,
      409: errorResponse(
        'It already succeeded (DELIVERY_SUCCEEDED) or is still under way (DELIVERY_IN_FLIGHT); `details` has its status.',
        'DELIVERY_SUCCEEDED',
        'delivery 0b6f2f4e-8d1a-4c55-9a3e-2f1d7c9b6a10 already succeeded: jira ticket SEC-1042',
        { status: 'SUCCEEDED', ticket: { externalId: 'SEC-1042', url: 'https://acme.atlassian.net/browse/SEC-1042' } },
      ),
    },
  }),
} as const;
