import { z } from 'zod';

/**
 * The incident event, exactly as `fixtures/incidents/schema.md` describes it.
 * Unknown fields are stripped (zod's default), so a stored incident holds only known facts.
 * Required: `id`, `createdAt`, `actor.name`, `actor.type`, `risk.score`; everything else is optional
 * and, when absent, must leave no trace in a rendered ticket.
 */

/** ISO-8601 date-time that names its zone (`Z` or an offset). */
export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with a zone' });

export const INCIDENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const incidentIdSchema = z
  .string()
  .regex(INCIDENT_ID_PATTERN, 'must be 1–64 characters of A-Z a-z 0-9 . _ : -');

export const RISK_LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export const riskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

const count = z.number().int().min(0);
const score = z.number().int().min(0).max(100);

export const ruleSchema = z.object({
  name: z.string().min(1),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'informational']),
  count: z.number().int().min(1),
  firstSeenAt: isoDateTime.optional(),
  lastSeenAt: isoDateTime.optional(),
  sigmaId: z.string().optional(),
  sampleEvent: z
    .object({
      time: isoDateTime.optional(),
      host: z.string().optional(),
      user: z.string().optional(),
      eventId: z.string().optional(),
      detail: z.string().optional(),
    })
    .optional(),
});
export type Rule = z.infer<typeof ruleSchema>;

const timelineSchema = z
  .object({
    firstAlertAt: isoDateTime,
    lastAlertAt: isoDateTime,
    escalatedAt: isoDateTime.optional(),
  })
  .refine((t) => Date.parse(t.lastAlertAt) >= Date.parse(t.firstAlertAt), {
    message: 'lastAlertAt must not be before firstAlertAt',
    path: ['lastAlertAt'],
  });

export const incidentSchema = z.object({
  id: incidentIdSchema,
  createdAt: isoDateTime,
  origin: z.enum(['auto', 'manual']).default('auto'),
  actor: z.object({
    name: z.string().min(1).max(256),
    type: z.enum(['user', 'host', 'ip']),
    entity: z.string().max(256).optional(),
  }),
  risk: z.object({
    score,
    previousScore: score.optional(),
    level: riskLevelSchema.optional(),
    confidence: z.number().min(0).max(1).optional(),
    primaryDriver: z.string().optional(),
    factors: z
      .array(z.object({ name: z.string().min(1), score, weight: z.number().min(0).max(1).optional() }))
      .optional(),
  }),
  attackPattern: z.string().optional(),
  systemState: z.string().optional(),
  campaignId: z.string().optional(),
  activity: z
    .object({ totalAlarms: count, threatCases: count, uniqueRules: count, primaryRule: z.string().optional() })
    .optional(),
  timeline: timelineSchema.optional(),
  sla: z
    .object({
      targetMinutes: z.number().positive(),
      status: z.enum(['ON_TRACK', 'AT_RISK', 'BREACHED', 'MET']),
      consumedPercent: z.number().min(0),
    })
    .optional(),
  mitre: z
    .object({
      tactics: z.array(z.object({ id: z.string().regex(/^TA\d{4}$/, 'must look like TA0001'), name: z.string().min(1) })).default([]),
      techniques: z
        .array(
          z.object({
            id: z.string().regex(/^T\d{4}(\.\d{3})?$/, 'must look like T1234 or T1234.001'),
            name: z.string().min(1),
            tacticId: z.string().optional(),
          }),
        )
        .default([]),
    })
    .optional(),
  rules: z.array(ruleSchema).optional(),
  blastRadius: z
    .object({
      hosts: z.array(z.string()).default([]),
      users: z.array(z.string()).default([]),
      siemAlarms: count.optional(),
      detections: count.optional(),
      openThreatCases: count.optional(),
    })
    .optional(),
  siemAlarms: z
    .array(z.object({ id: z.string().min(1), date: isoDateTime, rbp: score, entity: z.string().optional() }))
    .optional(),
  notes: z.string().max(100_000).optional(),
});

/** A validated incident (defaults applied, unknown fields removed). */
export type Incident = z.infer<typeof incidentSchema>;
/** What a producer hands over before validation. */
export type IncidentInput = z.input<typeof incidentSchema>;

/** The risk-changed event: `{score, previousScore?, reason?, newRule?}`. */
export const riskChangeSchema = z.object({
  score,
  previousScore: score.optional(),
  reason: z.string().max(10_000).optional(),
  newRule: ruleSchema.optional(),
});
export type RiskChange = z.infer<typeof riskChangeSchema>;
