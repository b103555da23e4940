import { z } from 'zod';

/**
 * The incident event, exactly as `fixtures/incidents/schema.md` describes it.
 * Unknown fields are stripped (zod's default), so a stored incident holds only known facts.
 * Required: `id`, `createdAt`, `actor.name`, `actor.type`, `risk.score`; everything else is optional
 * and, when absent, must leave no trace in a rendered ticket.
 */

// The instants every store and renderer on the way can hold: PostgreSQL's timestamptz has no year 0
// (it counts 1 BC, then AD 1) and JavaScript writes a year past 9999 as `+010000`, which PostgreSQL
// does not read back. Outside them an incident used to fail in the database, after a 202 (API) or
// after `enqueueIncident` had said yes (producer): refused here instead, naming the field.
const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
/** The instants an incident's dates may name: years 0001 to 9999, in UTC. */
export const DATE_TIME_RANGE = 'from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (UTC)';

/**
 * ISO-8601 date-time that names its zone (`Z` or an offset), within {@link DATE_TIME_RANGE}. The
 * document shows the year-0000 ban as a pattern; the rare offset that moves a 0001 or 9999 date
 * across the edge is in the description.
 */
export const isoDateTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 date-time with a zone', abort: true })
  .regex(/^(?!0000)/, { message: 'must not be in year 0000 (PostgreSQL has none)', abort: true })
  .refine((v) => {
    const at = Date.parse(v);
    return at >= EARLIEST_INSTANT && at <= LATEST_INSTANT;
  }, `must be ${DATE_TIME_RANGE}`)
  // `.regex` would leave only the patterns in the document: the format is stated again.
  .meta({ format: 'date-time', description: `An ISO-8601 date-time with a zone, ${DATE_TIME_RANGE}.` });

export const INCIDENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const incidentIdSchema = z
  .string()
  .regex(INCIDENT_ID_PATTERN, 'must be 1–64 characters of A-Z a-z 0-9 . _ : -');

/**
 * Text PostgreSQL can store: no U+0000, and no unpaired UTF-16 surrogate (it is not text at all: it has
 * no UTF-8 form). With the `u` flag a surrogate pair is one code point, so the class meets only unpaired
 * halves; JSON Schema patterns are read the same way (ECMA-262 with `u`), so the OpenAPI document
 * carries this very pattern. Refused with the field named, rather than failing in the database.
 */
export const STORABLE_TEXT = /^[^\u0000\uD800-\uDFFF]*$/u;
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL (\\u0000) or unpaired UTF-16 surrogates';

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
    .regex(STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE);

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
