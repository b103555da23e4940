import { z } from 'zod';
import { baseUrlSchema } from '../http/base-url.js';

/** The Proactive Case API's base URL (`https://cases.mssp.example/api/proactive/v1`); paths are appended to it. */
export const proactiveBaseUrlSchema = z.string().trim().min(1, 'is required').pipe(baseUrlSchema());

// Sent as header values: a line break would start another header.
const headerText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[\x20-\x7E]+$/, 'must be printable ASCII (it is sent in an HTTP header)');

/**
 * Proactive Case API settings, validated (specs/proactive-case-api.md): the base URL, the app id and
 * secret of Basic auth, the `Source` header, the case table and the customer's service identifier.
 */
export const proactiveConfigSchema = z.object({
  baseUrl: proactiveBaseUrlSchema,
  // RFC 7617: the user id of Basic credentials cannot hold a colon.
  appId: headerText(200).refine((v) => !v.includes(':'), 'must not contain ":"'),
  secret: z.string().min(1, 'is required').max(1000, 'must be at most 1000 characters'),
  table: z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters').default('Case'),
  source: headerText(200).default('Managed_services'),
  serviceIdentifier: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
});

/** Validated Proactive Case API settings. */
export type ProactiveConfig = z.output<typeof proactiveConfigSchema>;
/** Proactive Case API settings as stored or typed in. */
export type ProactiveConfigInput = z.input<typeof proactiveConfigSchema>;
