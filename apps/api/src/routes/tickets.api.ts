import { z } from 'zod';
import { targetSystemSchema } from '@rhx/domain';
import { incidentIdParams } from '../incident-id.param.js';
import { describeRoute, errorResponse, incidentNotFound } from '../openapi/route-description.js';

export const targetQuery = z.object({ target: targetSystemSchema.describe('The ticketing system.') });
export const pushBody = z.strictObject({ target: targetSystemSchema.describe('The ticketing system to make the ticket in.') });

const previewSchema = z.object({
  target: targetSystemSchema,
  summary: z.string(),
  description: z.string().describe('As people read it (Jira Cloud’s ADF flattened to text).'),
  priority: z.string().describe('Jira priority name (`Highest`…) or ServiceNow priority (`1 - Critical`…).'),
  body: z.record(z.string(), z.unknown()).describe('The create request’s body: `JSON.stringify(body)` is byte for byte what the push sends.'),
});

const targetNotReady = errorResponse(
  'The target system is disabled or not configured (TARGET_DISABLED, TARGET_NOT_CONFIGURED).',
  'TARGET_NOT_CONFIGURED',
  'jira is not configured; configure it with PUT /v1/integrations/jira',
);

export const ticketApi = {
  preview: describeRoute({
    method: 'GET',
    path: '/v1/incidents/:id/ticket-preview',
    operationId: 'previewTicket',
    tag: 'Tickets',
    summary: 'Exactly what a push would send',
    params: incidentIdParams,
    query: targetQuery,
    responses: {
      200: {
        description: 'The create request as it would be sent now.',
        schema: previewSchema,
        examples: {
          jira: {
            summary: 'A Jira Server issue (description shortened here)',
            value: {
              target: 'jira',
              summary: '[RhythmX] LOW risk 18 — k.lee (user)',
              description: 'h2. Threat Summary\n…',
              priority: 'Low',
              body: {
                fields: {
                  project: { key: 'SEC' },
                  issuetype: { name: 'Task' },
                  summary: '[RhythmX] LOW risk 18 — k.lee (user)',
                  description: 'h2. Threat Summary\n…',
                  priority: { name: 'Low' },
                  labels: ['rhythmx', 'rhythmx-INC-2026-0004'],
                },
              },
            },
          },
        },
      },
      404: incidentNotFound,
      409: targetNotReady,
    },
  }),
  push: describeRoute({
    method: 'POST',
    path: '/v1/incidents/:id/tickets',
    operationId: 'pushTicket',
    tag: 'Tickets',
    summary: 'Make a ticket now (manual push)',
    description: 'One delivery per incident and system, whatever is clicked: a second push while the first is under way answers the same delivery.',
    params: incidentIdParams,
    body: { schema: pushBody, examples: { jira: { summary: 'Push to Jira', value: { target: 'jira' } } } },
    responses: {
      202: {
        description: 'Queued; follow it with GET /v1/deliveries/{deliveryId}.',
        schema: z.object({ deliveryId: z.uuid() }),
        examples: { queued: { summary: 'Queued', value: { deliveryId: '0b6f2f4e-8d1a-4c55-9a3e-2f1d7c9b6a10' } } },
      },
      404: incidentNotFound,
      409: {
        description: 'The incident already has a ticket in that system (TICKET_EXISTS, `details` is its reference), or the system is disabled or not configured.',
        examples: {
          TICKET_EXISTS: {
            summary: 'Already ticketed',
            value: {
              error: {
                code: 'TICKET_EXISTS',
                message: 'incident INC-2026-0004 already has jira ticket SEC-1042',
                details: { system: 'jira', externalId: 'SEC-1042', url: 'https://acme.atlassian.net/browse/SEC-1042' },
              },
            },
          },
          ...targetNotReady.examples,
        },
      },
    },
  }),
} as const;
