import { z } from 'zod';
import { STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE } from './incident.schema.js';

/** What an analyst says about an incident (RhythmX's own statuses; sync may set the last three). */
export const ANALYST_STATUSES = ['NEW', 'IN_PROGRESS', 'CLOSED', 'FALSE_POSITIVE'] as const;
export const analystStatusSchema = z.enum(ANALYST_STATUSES);
export type AnalystStatus = z.infer<typeof analystStatusSchema>;

/** The statuses that end an incident: its open tickets are resolved where a system's `lifecycle` says so. */
export const CLOSING_STATUSES: readonly AnalystStatus[] = ['CLOSED', 'FALSE_POSITIVE'];

/** `PATCH /v1/incidents/:id` (CONTRACT §3): the incident's new analyst status, with an optional note. */
export const analystStatusChangeSchema = z.strictObject({
  analystStatus: analystStatusSchema,
  note: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters').regex(STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE).optional(),
});
export type AnalystStatusChange = z.infer<typeof analystStatusChangeSchema>;
