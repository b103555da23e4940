import { z } from 'zod';
import { fieldRulesSchema, lifecycleSchema, storedRules } from '@rhx/fields';
import { SNOW_AUTH_METHODS } from '@rhx/config';
import { baseUrlSchema } from '../http/base-url.js';

/** Columns the bridge sets on every ServiceNow create itself: no rule may set them. */
export const SNOW_OWNED_COLUMNS = ['short_description', 'description', 'impact', 'urgency', 'priority', 'correlation_id', 'correlation_display', 'work_notes', 'state'] as const;

/**
 * A host (`acme.service-now.com`, meaning https) or a whole base URL (`http://127.0.0.1:9102`); the
 * host check of `INTEGRATION_ALLOWED_HOSTS` applies to it.
 */
export const serviceNowInstanceUrlSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .transform((v) => (/^https?:\/\//i.test(v) ? v : `https://${v}`))
  .pipe(baseUrlSchema('must be a host or an http(s) URL'));

/**
 * ServiceNow settings, validated: `instanceUrl` becomes a base URL without a trailing slash;
 * `assignmentGroup` is a group *name*, resolved to its sys_id once per adapter.
 */
export const serviceNowConfigSchema = z
  .object({
    instanceUrl: serviceNowInstanceUrlSchema,
    auth: z.enum(SNOW_AUTH_METHODS).default('basic'),
    username: z.string().trim().optional(),
    password: z.string().optional(),
    clientId: z.string().trim().optional(),
    clientSecret: z.string().optional(),
    assignmentGroup: z.string().trim().min(1).optional(),
    fields: z.preprocess(storedRules, fieldRulesSchema(SNOW_OWNED_COLUMNS)).default([]),
    lifecycle: z.preprocess(storedRules, lifecycleSchema).default({ resolve: false, reopen: false, onClosed: 'follow-up' }),
  })
  .superRefine((config, ctx) => {
    const need = (path: string) => ctx.addIssue({ code: 'custom', path: [path], message: config.auth === 'basic' ? 'is required' : `is required with ${config.auth}` });
    if (config.auth !== 'oauth2-client-credentials') {
      if (!config.username) need('username');
      if (!config.password) need('password');
    }
    if (config.auth !== 'basic') {
      if (!config.clientId) need('clientId');
      if (!config.clientSecret) need('clientSecret');
    }
  });

/** Validated ServiceNow settings. */
export type ServiceNowConfig = z.output<typeof serviceNowConfigSchema>;
/** ServiceNow settings as stored or typed in. */
export type ServiceNowConfigInput = z.input<typeof serviceNowConfigSchema>;
