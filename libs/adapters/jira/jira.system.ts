import { z } from 'zod';
import { expiryDate, JIRA_AUTH_METHODS, SYSTEM_ENV } from '@rhx/config';
import { BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE } from '../http/base-url.pattern.js';
import { enabled, secretNote, text, trimmed, url, withoutKeys } from '../settings-body.js';
import type { StatusMeaning, SystemDescriptor } from '../system-descriptor.js';
import { NETWORK_LABELS, NETWORK_SECRET, NETWORK_VISIBLE, networkBodyShape } from '../network-settings.js';
import { JiraAdapter } from './jira.adapter.js';
import { fieldRulesSchema, lifecycleSchema } from '@rhx/fields';
import { FIELDS_NOTE } from '../settings-body.js';
import {
  ATLASSIAN_GATEWAY_URL, ATLASSIAN_TOKEN_URL, JIRA_CLOUD_ID, JIRA_OWNED_FIELDS, JIRA_PROJECT_KEY, JIRA_PROJECT_KEY_MESSAGE, jiraBaseUrlSchema, jiraConfigSchema, type JiraConfig,
} from './jira.config.js';
import { JIRA_PRIORITIES } from './jira.priority.js';

// A change of any of these sends a stored secret somewhere else or as someone else: it needs the secret again.
const IDENTITY = ['baseUrl', 'email', 'auth', 'clientId', 'tokenUrl', 'gatewayUrl'] as const;
const OAUTH = 'oauth2-client-credentials';

// The status category, never the name (names differ per workflow). `indeterminate` is Jira's "someone is
// working on it", the same as ServiceNow's In Progress, so it maps to IN_PROGRESS.
const CATEGORIES: Readonly<Record<string, StatusMeaning>> = {
  new: { analystStatus: undefined, open: true },
  indeterminate: { analystStatus: 'IN_PROGRESS', open: true },
  done: { analystStatus: 'CLOSED', open: false },
};

/** The secret the sign-in method sends: the client secret for OAuth, the API token (or PAT) otherwise. */
function secretsInUse(values: Readonly<Record<string, string | undefined>>): readonly string[] {
  return values.auth === OAUTH ? ['clientSecret'] : ['apiToken'];
}

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
    visible: ['baseUrl', 'deployment', 'auth', 'email', 'clientId', 'cloudId', 'tokenUrl', 'gatewayUrl', 'apiTokenExpires', 'projectKey', 'issueType', 'fields', 'lifecycle', ...NETWORK_VISIBLE],
    secret: ['apiToken', 'clientSecret', ...NETWORK_SECRET],
    required: ['baseUrl', 'projectKey'],
    identity: IDENTITY,
    labels: {
      baseUrl: 'Base URL', deployment: 'Deployment', auth: 'Sign-in method', email: 'Account email', apiToken: 'API token', clientId: 'OAuth client id',
      clientSecret: 'OAuth client secret', cloudId: 'Cloud id', tokenUrl: 'Token URL', gatewayUrl: 'API gateway URL', apiTokenExpires: 'Token expiry date',
      projectKey: 'Project key', issueType: 'Issue type', fields: 'Field rules', lifecycle: 'Lifecycle', ...NETWORK_LABELS,
    },
    json: ['fields', 'lifecycle'],
    choices: {
      deployment: { cloud: 'Cloud', server: 'Data Center / Server' },
      auth: {
        basic: 'Basic: account email and API token (Data Center: a personal access token)',
        'oauth2-client-credentials': 'OAuth 2.0 client credentials (service account, through the API gateway)',
        'service-account-token': 'Service account API token (through the API gateway)',
      } satisfies Record<(typeof JIRA_AUTH_METHODS)[number], string>,
    },
    requiredWhen: (values) => (values.auth === OAUTH ? ['clientId', 'clientSecret'] : ['apiToken', ...(values.deployment === 'server' ? [] : ['email'])]),
    secretsInUse,
    expires: { field: 'apiTokenExpires', secret: 'apiToken', what: 'The API token' },
  },
  bodySchema: z.strictObject({
    enabled,
    baseUrl: url(BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE, 'Jira’s base URL, with its context path if any.'),
    deployment: z.enum(['cloud', 'server']).optional(),
    auth: z.enum(JIRA_AUTH_METHODS).optional().describe('How the bridge signs in (CONTRACT §2 `JIRA_AUTH`): `basic`, `oauth2-client-credentials` or `service-account-token` (the last two: Jira Cloud, through the API gateway).'),
    email: text('The account (Cloud basic and service-account-token: required; Data Center: leave unset to use apiToken as a personal access token).'),
    apiToken: text(secretNote(IDENTITY)),
    apiTokenExpires: expiryDate.describe('When the API token expires (`2027-03-31`): the health warns 14 days ahead.'),
    clientId: text('The OAuth 2.0 client id (oauth2-client-credentials).'),
    clientSecret: text(secretNote(IDENTITY)),
    cloudId: trimmed().regex(JIRA_CLOUD_ID, 'must be the site’s cloud id (letters, digits and dashes)').optional().describe('The site’s cloud id; found from `<baseUrl>/_edge/tenant_info` when unset.'),
    tokenUrl: url(BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE, `Atlassian’s token endpoint (default ${ATLASSIAN_TOKEN_URL}).`),
    gatewayUrl: url(BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE, `Atlassian’s API gateway (default ${ATLASSIAN_GATEWAY_URL}).`),
    projectKey: trimmed().regex(JIRA_PROJECT_KEY, JIRA_PROJECT_KEY_MESSAGE).optional(),
    issueType: text(),
    fields: fieldRulesSchema(JIRA_OWNED_FIELDS).optional().describe(FIELDS_NOTE),
    lifecycle: lifecycleSchema.optional(),
    ...networkBodyShape,
  }),
  configSchema: jiraConfigSchema,
  url: { field: 'baseUrl', schema: jiraBaseUrlSchema, others: ['tokenUrl', 'gatewayUrl'] },
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
