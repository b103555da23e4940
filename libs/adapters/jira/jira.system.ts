import { z } from 'zod';
import { SYSTEM_ENV } from '@rhx/config';
import { BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE } from '../http/base-url.pattern.js';
import { enabled, secretNote, text, trimmed, url, withoutKeys } from '../settings-body.js';
import type { StatusMeaning, SystemDescriptor } from '../system-descriptor.js';
import { JiraAdapter } from './jira.adapter.js';
import { fieldRulesSchema, lifecycleSchema } from '@rhx/fields';
import { FIELDS_NOTE } from '../settings-body.js';
import { JIRA_OWNED_FIELDS, JIRA_PROJECT_KEY, JIRA_PROJECT_KEY_MESSAGE, jiraBaseUrlSchema, jiraConfigSchema, type JiraConfig } from './jira.config.js';
import { JIRA_PRIORITIES } from './jira.priority.js';

const IDENTITY = ['baseUrl', 'email'] as const;

// The status category, never the name (names differ per workflow). `indeterminate` is Jira's "someone is
// working on it", the same as ServiceNow's In Progress, so it maps to IN_PROGRESS.
const CATEGORIES: Readonly<Record<string, StatusMeaning>> = {
  new: { analystStatus: undefined, open: true },
  indeterminate: { analystStatus: 'IN_PROGRESS', open: true },
  done: { analystStatus: 'CLOSED', open: false },
};

/** Jira Cloud (REST v3, ADF) and Data Center (REST v2, wiki markup). */
export const JIRA_SYSTEM = {
  profile: 'jira',
  serves: 'jira',
  integration: 'standard',
  label: 'Jira',
  title: (values) => (values.deployment === 'server' ? 'Jira Data Center' : 'Jira Cloud'),
  ticketNoun: 'Jira issue',
  gateLabel: 'Jira',
  settings: {
    visible: ['baseUrl', 'deployment', 'email', 'projectKey', 'issueType', 'fields', 'lifecycle'],
    secret: ['apiToken'],
    required: ['baseUrl', 'projectKey', 'apiToken'],
    identity: IDENTITY,
    labels: { baseUrl: 'Base URL', deployment: 'Deployment', email: 'Account email', apiToken: 'API token', projectKey: 'Project key', issueType: 'Issue type', fields: 'Field rules', lifecycle: 'Lifecycle' },
    json: ['fields', 'lifecycle'],
    requiredWhen: (values) => (values.deployment === 'server' ? [] : ['email']),
  },
  bodySchema: z.strictObject({
    enabled,
    baseUrl: url(BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE, 'Jira’s base URL, with its context path if any.'),
    deployment: z.enum(['cloud', 'server']).optional(),
    email: text('The account (Cloud: required; Data Center: leave unset to use apiToken as a personal access token).'),
    apiToken: text(secretNote(IDENTITY)),
    projectKey: trimmed().regex(JIRA_PROJECT_KEY, JIRA_PROJECT_KEY_MESSAGE).optional(),
    issueType: text(),
    fields: fieldRulesSchema(JIRA_OWNED_FIELDS).optional().describe(FIELDS_NOTE),
    lifecycle: lifecycleSchema.optional(),
  }),
  configSchema: jiraConfigSchema,
  url: { field: 'baseUrl', schema: jiraBaseUrlSchema },
  env: SYSTEM_ENV.jira,
  priorityText: (level) => JIRA_PRIORITIES[level],
  sync: {
    source: 'jira-sync',
    // A status without a category that the adapter reads as closed is done.
    meaning: (status) => (status.category === undefined ? (status.open ? undefined : { analystStatus: 'CLOSED', open: false }) : CATEGORIES[status.category]),
    label: (state) => state,
  },
  ruleFields: (body) => withoutKeys((body.fields ?? {}) as Record<string, unknown>, [...JIRA_OWNED_FIELDS, 'labels']),
  createAdapter: (config: JiraConfig, options) => new JiraAdapter(config, options),
} as const satisfies SystemDescriptor;
