import { z } from 'zod';
import { analystStatusChangeSchema, analystStatusSchema, incidentSchema, OPERATOR_KINDS, riskLevelSchema, targetSystemSchema } from '@rhx/domain';
import { DELIVERY_KINDS, DELIVERY_STATUSES } from '@rhx/push';
import { incidentHistoryQueryFields, incidentListQueryFields } from '@rhx/db';
import { incidentIdParams } from '../incident-id.param.js';
import { describeRoute, errorResponse, incidentNotFound } from '../openapi/route-description.js';
import { minimalIncident, reconIncident } from '../openapi/incident.examples.js';

const instant = z.iso.datetime();
const stamp = instant.nullable();

const incidentPageSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      actor: z.object({ name: z.string(), type: z.string() }),
      score: z.number().int(),
      severity: riskLevelSchema,
      analystStatus: z.string(),
      receivedAt: instant,
      tickets: z.array(z.object({ system: targetSystemSchema, externalId: z.string(), url: z.string() })),
      deliveries: z.array(z.object({ id: z.uuid(), system: targetSystemSchema, status: z.enum(DELIVERY_STATUSES), attempts: z.number().int() }))
        .describe('The delivery that creates each system’s ticket.'),
    }),
  ),
  nextCursor: z.string().nullable().describe('Pass back as `after` for the next page; null on the last one.'),
});
const incidentPageExample = {
  items: [
    {
      id: 'INC-2026-0003', actor: { name: '203.0.113.45', type: 'ip' }, score: 52, severity: 'MEDIUM', analystStatus: 'NEW',
      receivedAt: '2026-11-28T08:00:01.311Z', tickets: [], deliveries: [],
    },
  ],
  nextCursor: null,
};

const incidentAnswerSchema = z.object({
  incidentId: z.string(),
  status: z.enum(['accepted', 'duplicate']).describe('`accepted` (202): stored now; `duplicate` (200): this id was seen before, nothing changed.'),
});

/** `GET /v1/incidents/:id`: the incident as received (defaults applied), then what the bridge knows of it. */
export const incidentViewSchema = incidentSchema.extend({
  severity: riskLevelSchema.describe('From the score alone: ≥ 85 CRITICAL, ≥ 70 HIGH, ≥ 40 MEDIUM, else LOW.'),
  analystStatus: z.string().describe('NEW until status sync reads the ticket (then e.g. IN_PROGRESS, RESOLVED).'),
  status: z.enum(['accepted', 'ingested']).describe('`accepted`: stored, not yet taken by the ingest worker.'),
  receivedAt: instant,
  ingestedAt: stamp,
  tickets: z.array(z.object({
    system: targetSystemSchema, externalId: z.string(), url: z.string(), createdAt: instant, generation: z.number().int().min(1),
    resolved: z.boolean().describe('Its system resolved it (the sync cycle saw it, or a resolve delivery did it); a rise reopens it where the lifecycle says so.'),
    remoteState: z.string().nullable().describe('The remote\'s own state as the sync cycle last read it (Jira status name, ServiceNow state, Proactive ticketStatus).'),
  }))
    .describe('The live ticket in each system: one per incident and system.'),
  retiredTickets: z.array(z.object({
    system: targetSystemSchema, externalId: z.string(), url: z.string(), createdAt: instant, generation: z.number().int().min(1),
    retiredAt: instant, reason: z.string().describe('`vanished`: the remote no longer has it.'),
  })).describe('Earlier tickets that are no longer live; a push after one vanished made the next generation.'),
  deliveries: z.array(
    z.object({
      id: z.uuid(),
      system: targetSystemSchema,
      status: z.enum(DELIVERY_STATUSES),
      trigger: z.string(),
      kind: z.enum(DELIVERY_KINDS).describe('`create` makes the ticket; `update` adds one risk change’s update to it; `resolve` closes it.'),
      generation: z.number().int().min(1),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      nextAttemptAt: stamp,
    }),
  ),
  lastSnowUpdateAt: stamp,
  snowLastPriority: z.string().nullable(),
  snowTicketState: z.string().nullable(),
  snowLastPolledAt: stamp,
});

const historyEntrySchema = z.object({
  at: instant,
  action: z.string().describe('INCIDENT_RECEIVED, TICKET_CREATED, RISK_CHANGED, CADENCE_GATE, EXTERNAL_SYNC, …'),
  source: z.string(),
  message: z.string().nullable(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  operator: z.object({ kind: z.enum(OPERATOR_KINDS), name: z.string() }).nullable()
    .describe('Who did it, when an operator’s action wrote the row: an API token’s name (`api`) or a console user (`console`).'),
});

const historyPageSchema = z.object({
  items: z.array(historyEntrySchema),
  nextCursor: z.string().nullable().describe('Pass back as `cursor` for the next, newer page; null on the last one.'),
});

const incidentViewExample = {
  ...minimalIncident,
  origin: 'auto',
  severity: 'LOW',
  analystStatus: 'NEW',
  status: 'ingested',
  receivedAt: '2026-11-20T08:00:01.204Z',
  ingestedAt: '2026-11-20T08:00:01.311Z',
  tickets: [{ system: 'jira', externalId: 'SEC-1042', url: 'https://acme.atlassian.net/browse/SEC-1042', createdAt: '2026-11-20T08:00:02.020Z', generation: 1, resolved: false, remoteState: 'In Progress' }],
  retiredTickets: [],
  deliveries: [
    { id: '0b6f2f4e-8d1a-4c55-9a3e-2f1d7c9b6a10', system: 'jira', status: 'SUCCEEDED', trigger: 'auto', kind: 'create', generation: 1, attempts: 1, lastError: null, nextAttemptAt: null },
  ],
  lastSnowUpdateAt: null,
  snowLastPriority: null,
  snowTicketState: null,
  snowLastPolledAt: null,
};

export const incidentApi = {
  create: describeRoute({
    method: 'POST',
    path: '/v1/incidents',
    operationId: 'createIncident',
    tag: 'Incidents',
    summary: 'Receive an incident-created event',
    description:
      'Stored in PostgreSQL before the answer (202 means durable), then queued for ingest. The same id again is a 200 `duplicate` ' +
      'and changes nothing. Unknown fields are dropped. A bad body is a 400 listing every problem, each with its JSON path. At most 2 MB.',
    body: {
      schema: incidentSchema,
      examples: {
        minimal: { summary: 'Only the required fields', value: minimalIncident },
        recon: { summary: 'A typical incident', value: reconIncident },
      },
    },
    responses: {
      200: { description: 'This incident id was received before; nothing changed.', schema: incidentAnswerSchema, examples: { duplicate: { summary: 'Seen before', value: { incidentId: 'INC-2026-0004', status: 'duplicate' } } } },
      202: { description: 'Stored; it will be ingested and, per the auto-push settings, ticketed.', schema: incidentAnswerSchema, examples: { accepted: { summary: 'Stored', value: { incidentId: 'INC-2026-0004', status: 'accepted' } } } },
      400: errorResponse('The body is not a valid incident; `details` lists every problem.', 'INVALID_INPUT', 'incident is invalid: risk.score: Too big: expected number to be <=100', [
        { path: 'risk.score', message: 'Too big: expected number to be <=100' },
      ]),
      413: errorResponse('The body is over 2 MB.', 'PAYLOAD_TOO_LARGE', 'request body is larger than 2 MB'),
      415: errorResponse('The body is not JSON.', 'UNSUPPORTED_MEDIA_TYPE', 'send application/json'),
    },
  }),
  list: describeRoute({
    method: 'GET',
    path: '/v1/incidents',
    operationId: 'listIncidents',
    tag: 'Incidents',
    summary: 'Incidents, newest first, with their tickets and delivery states',
    description:
      'Keyset paging: pass `nextCursor` back as `after` with the same filters for the next, older page; a page costs the same at any depth. ' +
      '`failed=true` keeps incidents whose ticket could not be made (a FAILED create delivery; failed updates show on the incident). An unknown parameter is a 400 naming it.',
    query: incidentListQueryFields,
    responses: {
      200: { description: 'One page.', schema: incidentPageSchema, examples: { page: { summary: 'A page of one', value: incidentPageExample } } },
    },
  }),
  get: describeRoute({
    method: 'GET',
    path: '/v1/incidents/:id',
    operationId: 'getIncident',
    tag: 'Incidents',
    summary: 'One incident with its tickets, deliveries and sync fields',
    params: incidentIdParams,
    responses: {
      200: { description: 'The incident.', schema: incidentViewSchema, examples: { ticketed: { summary: 'Ticketed in Jira', value: incidentViewExample } } },
      404: incidentNotFound,
    },
  }),
  setAnalystStatus: describeRoute({
    method: 'PATCH',
    path: '/v1/incidents/:id',
    operationId: 'setAnalystStatus',
    tag: 'Incidents',
    summary: 'Record the analyst\'s status of an incident',
    description:
      'Records `analystStatus` (and the note) with an `ANALYST_STATUS` history row; the same status again without a note changes nothing. ' +
      'CLOSED or FALSE_POSITIVE also opens one `resolve` delivery for each open ticket of the incident in a system whose `lifecycle.resolve` is on ' +
      '(answered as `resolves`); each runs like any delivery (lease, retries, history). A ticket already resolved, or with a resolve under way, gets none.',
    params: incidentIdParams,
    body: {
      schema: analystStatusChangeSchema,
      examples: { closed: { summary: 'Closed with a note', value: { analystStatus: 'CLOSED', note: 'Contained: credentials rotated, host reimaged.' } } },
    },
    responses: {
      200: {
        description: 'Recorded.',
        schema: z.object({
          incidentId: z.string(),
          analystStatus: analystStatusSchema,
          previous: analystStatusSchema.describe('The status before this change.'),
          resolves: z.array(z.object({ system: targetSystemSchema, deliveryId: z.uuid() })).describe('The resolve deliveries this close opened, one per open ticket.'),
        }),
        examples: {
          closed: {
            summary: 'From in progress to closed, resolving the Jira ticket',
            value: { incidentId: 'INC-2026-0001', analystStatus: 'CLOSED', previous: 'IN_PROGRESS', resolves: [{ system: 'jira', deliveryId: '0b9d2f0e-6a55-4c1b-9d7e-3f1a2b4c5d6e' }] },
          },
        },
      },
      404: incidentNotFound,
    },
  }),
  history: describeRoute({
    method: 'GET',
    path: '/v1/incidents/:id/history',
    operationId: 'getIncidentHistory',
    tag: 'Incidents',
    summary: 'The incident’s audit trail, oldest first, one page at a time',
    description:
      'Keyset paging on the history row: pass `nextCursor` back as `cursor` for the next, newer page; `null` on the last one. ' +
      'A page costs the same at any depth, and rows written meanwhile never shift a page. An unknown parameter is a 400 naming it.',
    params: incidentIdParams,
    query: incidentHistoryQueryFields,
    responses: {
      200: {
        description: 'One page of the recorded events of the incident.',
        schema: historyPageSchema,
        examples: {
          received: {
            summary: 'Received, then ticketed; more on the next page',
            value: {
              items: [
                { at: '2026-11-20T08:00:01.204Z', action: 'INCIDENT_RECEIVED', source: 'api', message: null, oldValue: null, newValue: null, operator: null },
                { at: '2026-11-20T08:00:02.020Z', action: 'TICKET_CREATED', source: 'ticket-push', message: 'jira ticket SEC-1042', oldValue: null, newValue: { externalId: 'SEC-1042' }, operator: null },
              ],
              nextCursor: 'aDQy',
            },
          },
        },
      },
      404: incidentNotFound,
    },
  }),
} as const;
