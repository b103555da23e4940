import { fieldRulesSchema, lifecycleSchema, storedRules } from '@rhx/fields';
import { z } from 'zod';
import { baseUrlSchema } from '../http/base-url.js';

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
    email: z.string().trim().optional(),
    apiToken: z.string().min(1, 'is required'),
    projectKey: z.string().regex(JIRA_PROJECT_KEY, JIRA_PROJECT_KEY_MESSAGE),
    issueType: z.string().min(1).default('Task'),
    fields: z.preprocess(storedRules, fieldRulesSchema(JIRA_OWNED_FIELDS)).default([]),
    lifecycle: z.preprocess(storedRules, lifecycleSchema).default({ resolve: false, reopen: false, onClosed: 'follow-up' }),
  })
  .superRefine((config, ctx) => {
    if (config.deployment === 'cloud' && !config.email) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required for Jira Cloud' });
    }
  });

/** Validated Jira settings. */
export type JiraConfig = z.output<typeof jiraConfigSchema>;
/** Jira settings as stored or typed in, before defaults. */
export type JiraConfigInput = z.input<typeof jiraConfigSchema>;
