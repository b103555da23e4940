import { z } from 'zod';
import { lifecycleSchema, storedRules } from '@rhx/fields';
import { baseUrlSchema } from '../http/base-url.js';

/** The Proactive Case API's base URL (`https://cases.mssp.example/api/proactive/v1`); paths are appended to it. */
export const proactiveBaseUrlSchema = z.string().trim().min(1, 'is required').pipe(baseUrlSchema());

/** Printable ASCII: sent as header values, where a line break would start another header. */
export const PROACTIVE_HEADER_TEXT = /^[\x20-\x7E]+$/;
/** {@link PROACTIVE_HEADER_TEXT} without `:`: RFC 7617, the user id of Basic credentials cannot hold one. */
export const PROACTIVE_APP_ID = /^[\x20-\x39\x3B-\x7E]+$/;
/** The longest value of each Proactive Case API setting. */
export const PROACTIVE_SETTING_MAX = { appId: 200, secret: 1000, table: 80, source: 200, serviceIdentifier: 100 } as const;

const headerText = (max: number, pattern = PROACTIVE_HEADER_TEXT, message = 'must be printable ASCII (it is sent in an HTTP header)') =>
  z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`).regex(pattern, message);

/**
 * Proactive Case API settings, validated (specs/proactive-case-api.md): the base URL, the app id and
 * secret of Basic auth, the `Source` header, the case table and the customer's service identifier.
 */
export const proactiveConfigSchema = z.object({
  baseUrl: proactiveBaseUrlSchema,
  appId: headerText(PROACTIVE_SETTING_MAX.appId, PROACTIVE_APP_ID, 'must be printable ASCII without ":" (it is the user id of Basic credentials)'),
  secret: z.string().min(1, 'is required').max(PROACTIVE_SETTING_MAX.secret, `must be at most ${PROACTIVE_SETTING_MAX.secret} characters`),
  table: z.string().trim().min(1, 'is required').max(PROACTIVE_SETTING_MAX.table, `must be at most ${PROACTIVE_SETTING_MAX.table} characters`).default('Case'),
  source: headerText(PROACTIVE_SETTING_MAX.source).default('Managed_services'),
  serviceIdentifier: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(PROACTIVE_SETTING_MAX.serviceIdentifier, `must be at most ${PROACTIVE_SETTING_MAX.serviceIdentifier} characters`),
  // The spec has no state change: a resolve or a reopen is a work note on the case (the provider acts on it).
  lifecycle: z.preprocess(storedRules, lifecycleSchema).default({ resolve: false, reopen: false, onClosed: 'follow-up' }),
});

/** Validated Proactive Case API settings. */
export type ProactiveConfig = z.output<typeof proactiveConfigSchema>;
/** Proactive Case API settings as stored or typed in. */
export type ProactiveConfigInput = z.input<typeof proactiveConfigSchema>;
