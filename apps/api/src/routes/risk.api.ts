import { z } from 'zod';
import { riskChangeSchema, riskLevelSchema, targetSystemSchema } from '@rhx/domain';
import { incidentIdParams } from '../incident-id.param.js';
import { describeRoute, incidentNotFound } from '../openapi/route-description.js';

const riskPoint = z.object({ score: z.number().int(), level: riskLevelSchema });

const riskChangeAnswerSchema = z.object({
  incidentId: z.string(),
  stale: z.boolean().optional().describe('True when the change was observed (`observedAt`) before the change applied last: it is recorded and moves nothing.'),
  changeId: z.string().describe('The RISK_CHANGED history entry; the update deliveries it made carry it.'),
  from: riskPoint,
  to: riskPoint,
  tickets: z
    .array(
      z.object({
        system: targetSystemSchema,
        externalId: z.string(),
        push: z.boolean().describe('Whether the cadence gate lets this change reach the ticket now.'),
        reason: z.string().describe('first-push, p1-escalation, cadence-elapsed-<hours>h, within-cadence or level-unchanged.'),
        deliveryId: z.uuid().optional().describe('The update delivery, when one is owed.'),
      }),
    )
    .describe('One decision per ticket the incident has; empty when it has none.'),
});

export const riskApi = {
  change: describeRoute({
    method: 'POST',
    path: '/v1/incidents/:id/risk',
    operationId: 'changeIncidentRisk',
    tag: 'Incidents',
    summary: 'Receive a risk-changed event',
    description:
      'Stores the change (the incident takes the new score) and, for a ticketed incident, runs the update path: in proactive ' +
      'mode the cadence gate decides per ticket whether the update goes now. The decisions are made before the answer; the updates go out from the queue.',
    params: incidentIdParams,
    body: {
      schema: riskChangeSchema,
      examples: {
        escalation: {
          summary: 'A rise to CRITICAL with the rule that caused it',
          value: {
            score: 91,
            previousScore: 52,
            reason: 'credential dumping on a domain controller',
            newRule: { name: 'LSASS Memory Dump Via Procdump', severity: 'critical', count: 3, firstSeenAt: '2026-11-21T02:10:00.000Z' },
          },
        },
        scoreOnly: { summary: 'Only the new score', value: { score: 45 } },
        observed: { summary: 'With the time RhythmX computed the score (orders changes that arrive out of order)', value: { score: 78, observedAt: '2026-11-21T02:14:09.000Z' } },
      },
    },
    responses: {
      202: {
        description: 'Stored, with the cadence gate’s decision for each ticket.',
        schema: riskChangeAnswerSchema,
        examples: {
          escalated: {
            summary: 'A P1 escalation reaches the ServiceNow case at once',
            value: {
              incidentId: 'INC-2026-0003',
              changeId: '412',
              from: { score: 52, level: 'MEDIUM' },
              to: { score: 91, level: 'CRITICAL' },
              tickets: [{ system: 'servicenow', externalId: 'CS0001042', push: true, reason: 'p1-escalation', deliveryId: '6c1f9a52-3e0b-4a8e-b7d4-0f5e2a9c1d37' }],
            },
          },
        },
      },
      404: incidentNotFound,
    },
  }),
} as const;
