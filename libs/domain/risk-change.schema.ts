import { z } from 'zod';
import { INCIDENT_LIMITS, incidentSchema, isoDateTime, ruleSchema, storableText } from './incident.schema.js';

// The same score piece as the incident's `risk.score`, so both refuse the same values with the same words.
const score = incidentSchema.shape.risk.shape.score;

/**
 * The risk-changed event of `fixtures/incidents/schema.md`: `{score, previousScore?, reason?, newRule?, observedAt?}`.
 * `observedAt` is when RhythmX computed the score: a change observed before the last applied one is
 * recorded but moves nothing (events may arrive out of order); without it, arrival order stands.
 * `newRule` has the shape of an incident's `rules[]` item: the newest rule whose detections raised
 * the risk (the "cause of risk increment"). Unknown fields are stripped; text must be storable.
 */
export const riskChangeSchema = z.object({
  score,
  previousScore: score.optional(),
  reason: storableText(INCIDENT_LIMITS.longTextChars).optional(),
  newRule: ruleSchema.optional(),
  observedAt: isoDateTime.optional(),
});

/** A validated risk-changed event. */
export type RiskChange = z.infer<typeof riskChangeSchema>;
/** A risk-changed event before validation. */
export type RiskChangeInput = z.input<typeof riskChangeSchema>;
