import { fieldRulesSchema, lifecycleSchema, storedRules } from '@rhx/fields';
import { z } from 'zod';
import { expiryDate, JIRA_AUTH_METHODS } from '@rhx/config';
import { baseUrlSchema } from '../http/base-url.js';

/** Atlassian's OAuth 2.0 token endpoint and API gateway (CONTRACT §2 `JIRA_OAUTH_TOKEN_URL`, `JIRA_API_GATEWAY_URL`). */
export const ATLASSIAN_TOKEN_URL = 'https://auth.atlassian.com/oauth/token';
export const ATLASSIAN_GATEWAY_URL = 'https://api.atlassian.com';
/** A site's cloud id as Atlassian writes them (a UUID); it becomes part of every gateway URL. */
export const JIRA_CLOUD_ID = /^[A-Za-z0-9-]{1,64}$/;

/** A Jira project key as Jira's default key format makes them: `SEC`, `SOC_2`. */
export const JIRA_PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,9}$/;
export const JIRA_PROJECT_KEY_MESSAGE = 'must be a Jira project key such as SEC';

/** Where Jira is; the host check of `INTEGRATION_ALLOWED_HOSTS` applies to it. */
export const jiraBaseUrlSchema = baseUrlSchema();

/**
 * Jira settings, validated: `baseUrl` has no trailing slash and may carry a context path
 * (`https://jira.example.com/jira`); `email` is required for Cloud (Basic email:token) and optional
 * for Server / Data Center, where an empty email means a personal access token (Bearer).
 */
/** Fields the bridge sets on every Jira create itself: no rule may set them (`labels` merges). */
export const JIRA_OWNED_FIELDS = ['summary', 'description', 'priority', 'project', 'issuetype'] as const;

export const jiraConfigSchema = z
  .object({
    deployment: z.enum(['cloud', 'server']).default('cloud'),
    baseUrl: jiraBaseUrlSchema,
    auth: z.enum(JIRA_AUTH_METHODS).default('basic'),
    email: z.string().trim().optional(),
    apiToken: z.string().optional(),
    /** When the API token expires (`2027-03-31`): the integration's health warns two weeks ahead. */
    apiTokenExpires: expiryDate,
    clientId: z.string().trim().optional(),
    clientSecret: z.string().optional(),
    cloudId: z.string().trim().regex(JIRA_CLOUD_ID, 'must be the site’s cloud id (letters, digits and dashes)').optional(),
    tokenUrl: baseUrlSchema().default(ATLASSIAN_TOKEN_URL),
    gatewayUrl: jiraBaseUrlSchema.default(ATLASSIAN_GATEWAY_URL),
    projectKey: z.string().regex(JIRA_PROJECT_KEY, JIRA_PROJECT_KEY_MESSAGE),
    issueType: z.string().min(1).default('Task'),
    fields: z.preprocess(storedRules, fieldRulesSchema(JIRA_OWNED_FIELDS)).default([]),
    lifecycle: z.preprocess(storedRules, lifecycleSchema).default({ resolve: false, reopen: false, onClosed: 'follow-up' }),
  })
  .superRefine((config, ctx) => {
    const need = (path: string, why: string) => ctx.addIssue({ code: 'custom', path: [path], message: `is required ${why}` });
    if (config.auth !== 'basic' && config.deployment === 'server') {
      ctx.addIssue({ code: 'custom', path: ['auth'], message: `${config.auth} is for Jira Cloud; Data Center takes basic (a personal access token, or an account and its password)` });
    }
    if (config.auth === 'oauth2-client-credentials') {
      if (!config.clientId) need('clientId', 'with OAuth 2.0 client credentials');
      if (!config.clientSecret) need('clientSecret', 'with OAuth 2.0 client credentials');
      return;
    }
    if (!config.apiToken) need('apiToken', config.auth === 'service-account-token' ? 'for a service account' : '');
    if (config.deployment === 'cloud' && !config.email) need('email', config.auth === 'service-account-token' ? 'for a service account (its email)' : 'for Jira Cloud');
  });

/** Validated Jira settings. */
export type JiraConfig = z.output<typeof jiraConfigSchema>;
/** Jira settings as stored or typed in, before defaults. */
export type JiraConfigInput = z.input<typeof jiraConfigSchema>;
