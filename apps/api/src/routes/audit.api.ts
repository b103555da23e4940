import { z } from 'zod';
import { OPERATOR_KINDS } from '@rhx/domain';
import { AUDIT_ACTIONS, auditQueryFields } from '@rhx/db';
import { describeRoute } from '../openapi/route-description.js';

const auditEventSchema = z.object({
  id: z.string().regex(/^\d+$/),
  at: z.iso.datetime(),
  operator: z.object({
    kind: z.enum(OPERATOR_KINDS).describe('`api`: a `/v1` call, named by its API token (`API_TOKENS`; `API_TOKEN` is `api`); `console`: the console user.'),
    name: z.string(),
  }),
  action: z.enum(AUDIT_ACTIONS),
  target: z.string().nullable().describe('What it acted on: a system, an incident id, a delivery id.'),
  incidentId: z.string().nullable(),
  details: z.unknown().describe('What changed: setting names (never a secret’s value), from and to, the outcome.'),
});

export const auditApi = {
  list: describeRoute({
    method: 'GET',
    path: '/v1/audit',
    operationId: 'listAuditEvents',
    tag: 'Audit',
    summary: 'Who did what: every operator action, newest first',
    description: 'Settings saved (which fields changed), connection tests, auto-push changes, tickets requested, re-drives and analyst statuses, through `/v1` or the console. Keyset paging: pass `nextCursor` back as `cursor`; an unknown parameter is a 400.',
    query: auditQueryFields,
    responses: {
      200: {
        description: 'One page.',
        schema: z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable().describe('Null on the last page.') }),
        examples: {
          page: {
            summary: 'A settings change and a ticket requested',
            value: {
              items: [
                { id: '42', at: '2026-12-04T09:12:03.114Z', operator: { kind: 'console', name: 'alice' }, action: 'TICKET_REQUESTED', target: 'INC-2026-0004', incidentId: 'INC-2026-0004', details: { system: 'jira', deliveryId: '0b6f2f4e-8d1a-4c55-9a3e-2f1d7c9b6a10' } },
                { id: '41', at: '2026-12-04T09:10:47.902Z', operator: { kind: 'api', name: 'siem-bot' }, action: 'SETTINGS_SAVED', target: 'jira', incidentId: null, details: { changed: ['apiToken', 'projectKey'] } },
              ],
              nextCursor: null,
            },
          },
        },
      },
    },
  }),
} as const;
