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

// PostgreSQL cannot store U+0000 in text, and an unpaired UTF-16 surrogate is not text at all (it has
// no UTF-8 form): refused here with the field named, rather than failing a whole batch in the database.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Limits of an incident (README "Input limits"): they bound what a worker holds for one incident,
 * whichever way it arrived. The JSON of a whole incident is at most {@link MAX_INCIDENT_BYTES}.
 */
export const INCIDENT_LIMITS = {
  /** Names, hosts, users, ids and other short text. */
  textChars: 1_000,
  /** A rule's sample event detail, the primary driver and attack pattern descriptions. */
  longTextChars: 10_000,
  notesChars: 100_000,
  factors: 50,
  tactics: 50,
  techniques: 500,
  rules: 1_000,
  hostsOrUsers: 10_000,
  siemAlarms: 10_000,
} as const;

/** The largest incident, as JSON, that the API (its body limit) and the producer library accept. */
export const MAX_INCIDENT_BYTES = 2 * 1024 * 1024;

/** Text that PostgreSQL can store, at most `max` characters. */
export const storableText = (max: number = INCIDENT_LIMITS.textChars) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !UNSTORABLE.test(v), 'must not contain NUL (\\u0000) or unpaired UTF-16 surrogates');

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `must have at most ${max} items`);

export const RISK_LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export const riskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

const count = z.number().int().min(0);
const score = z.number().int().min(0).max(100);

export const ruleSchema = z.object({
  name: storableText().min(1),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'informational']),
  count: z.number().int().min(1),
  firstSeenAt: isoDateTime.optional(),
  lastSeenAt: isoDateTime.optional(),
  sigmaId: storableText().optional(),
  sampleEvent: z
    .object({
      time: isoDateTime.optional(),
      host: storableText().optional(),
      user: storableText().optional(),
      eventId: storableText().optional(),
      detail: storableText(INCIDENT_LIMITS.longTextChars).optional(),
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
    name: storableText(256).min(1),
    type: z.enum(['user', 'host', 'ip']),
    entity: storableText(256).optional(),
  }),
  risk: z.object({
    score,
    previousScore: score.optional(),
    level: riskLevelSchema.optional(),
    confidence: z.number().min(0).max(1).optional(),
    primaryDriver: storableText(INCIDENT_LIMITS.longTextChars).optional(),
    factors: list(z.object({ name: storableText().min(1), score, weight: z.number().min(0).max(1).optional() }), INCIDENT_LIMITS.factors).optional(),
  }),
  attackPattern: storableText(INCIDENT_LIMITS.longTextChars).optional(),
  systemState: storableText().optional(),
  campaignId: storableText().optional(),
  activity: z
    .object({ totalAlarms: count, threatCases: count, uniqueRules: count, primaryRule: storableText().optional() })
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
      tactics: list(z.object({ id: z.string().regex(/^TA\d{4}$/, 'must look like TA0001'), name: storableText().min(1) }), INCIDENT_LIMITS.tactics).default([]),
      techniques: list(
        z.object({
          id: z.string().regex(/^T\d{4}(\.\d{3})?$/, 'must look like T1234 or T1234.001'),
          name: storableText().min(1),
          tacticId: storableText().optional(),
        }),
        INCIDENT_LIMITS.techniques,
      ).default([]),
    })
    .optional(),
  rules: list(ruleSchema, INCIDENT_LIMITS.rules).optional(),
  blastRadius: z
    .object({
      hosts: list(storableText(), INCIDENT_LIMITS.hostsOrUsers).default([]),
      users: list(storableText(), INCIDENT_LIMITS.hostsOrUsers).default([]),
      siemAlarms: count.optional(),
      detections: count.optional(),
      openThreatCases: count.optional(),
    })
    .optional(),
  siemAlarms: list(z.object({ id: storableText().min(1), date: isoDateTime, rbp: score, entity: storableText().optional() }), INCIDENT_LIMITS.siemAlarms).optional(),
  notes: storableText(INCIDENT_LIMITS.notesChars).optional(),
});

/** A validated incident (defaults applied, unknown fields removed). */
export type Incident = z.infer<typeof incidentSchema>;
/** What a producer hands over before validation. */
export type IncidentInput = z.input<typeof incidentSchema>;
