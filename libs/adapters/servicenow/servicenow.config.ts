import { z } from 'zod';

/** A host (`acme.service-now.com`, meaning https) or a whole base URL (`http://127.0.0.1:9102`). */
const instanceUrl = z
  .string()
  .trim()
  .min(1, 'is required')
  .transform((v) => (/^https?:\/\//i.test(v) ? v : `https://${v}`))
  .pipe(z.url({ protocol: /^https?$/, message: 'must be a host or an http(s) URL' }))
  .transform((u) => u.replace(/\/+$/, ''));

/**
 * ServiceNow settings, validated: `instanceUrl` becomes a base URL without a trailing slash;
 * `assignmentGroup` is a group *name*, resolved to its sys_id once per adapter.
 */
export const serviceNowConfigSchema = z.object({
  instanceUrl,
  username: z.string().trim().min(1, 'is required'),
  password: z.string().min(1, 'is required'),
  assignmentGroup: z.string().trim().min(1).optional(),
});

/** Validated ServiceNow settings. */
export type ServiceNowConfig = z.output<typeof serviceNowConfigSchema>;
/** ServiceNow settings as stored or typed in. */
export type ServiceNowConfigInput = z.input<typeof serviceNowConfigSchema>;
