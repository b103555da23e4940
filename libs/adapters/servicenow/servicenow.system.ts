import { z } from 'zod';
import { SNOW_AUTH_METHODS, SYSTEM_ENV } from '@rhx/config';
import { HOST_OR_BASE_URL_PATTERN, HOST_OR_BASE_URL_PATTERN_MESSAGE } from '../http/base-url.pattern.js';
import { enabled, secretNote, text, url, withoutKeys } from '../settings-body.js';
import type { StatusMeaning, SystemDescriptor } from '../system-descriptor.js';
import { NETWORK_LABELS, NETWORK_SECRET, NETWORK_VISIBLE, networkBodyShape } from '../network-settings.js';
import { ServiceNowAdapter } from './servicenow.adapter.js';
import { fieldRulesSchema, lifecycleSchema } from '@rhx/fields';
import { FIELDS_NOTE } from '../settings-body.js';
import { SNOW_OWNED_COLUMNS, serviceNowConfigSchema, serviceNowInstanceUrlSchema, type ServiceNowConfig } from './servicenow.config.js';
import { snowPriorityText } from './servicenow.priority.js';

// A change of any of these sends a stored secret somewhere else or as someone else: it needs the secret again.
const IDENTITY = ['instanceUrl', 'username', 'auth', 'clientId'] as const;

/** The secrets a sign-in method sends. */
function secretsInUse(values: Readonly<Record<string, string | undefined>>): readonly string[] {
  if (values.auth === 'oauth2-client-credentials') return ['clientSecret'];
  return values.auth === 'oauth2-password' ? ['password', 'clientSecret'] : ['password'];
}

/** ServiceNow incident states (Table API `state`) and their labels. */
export const SNOW_STATE_LABELS: Readonly<Record<string, string>> = {
  '1': 'New',
  '2': 'In Progress',
  '3': 'On Hold',
  '6': 'Resolved',
  '7': 'Closed',
  '8': 'Canceled',
};

const STATES: Readonly<Record<string, StatusMeaning>> = {
  '2': { analystStatus: 'IN_PROGRESS', open: true },
  '6': { analystStatus: 'CLOSED', open: false },
  '7': { analystStatus: 'CLOSED', open: false },
  '8': { analystStatus: 'FALSE_POSITIVE', open: false },
};

/** ServiceNow's Table API (`incident`), `TICKET_INTEGRATION=standard`. */
export const SERVICENOW_SYSTEM = {
  profile: 'servicenow',
  serves: 'servicenow',
  integration: 'standard',
  label: 'ServiceNow',
  title: () => 'ServiceNow',
  ticketNoun: 'ServiceNow incident',
  gateLabel: 'SNOW',
  settings: {
    visible: ['instanceUrl', 'auth', 'username', 'clientId', 'assignmentGroup', 'fields', 'lifecycle', ...NETWORK_VISIBLE],
    secret: ['password', 'clientSecret', ...NETWORK_SECRET],
    required: ['instanceUrl'],
    identity: IDENTITY,
    labels: {
      instanceUrl: 'Instance URL', auth: 'Sign-in method', username: 'User name', password: 'Password', clientId: 'OAuth client id', clientSecret: 'OAuth client secret',
      assignmentGroup: 'Assignment group', fields: 'Field rules', lifecycle: 'Lifecycle', ...NETWORK_LABELS,
    },
    json: ['fields', 'lifecycle'],
    choices: {
      auth: {
        basic: 'Basic: user name and password',
        'oauth2-client-credentials': 'OAuth 2.0 client credentials',
        'oauth2-password': 'OAuth 2.0 password grant (user name and password, and the client)',
      } satisfies Record<(typeof SNOW_AUTH_METHODS)[number], string>,
    },
    requiredWhen: (values) => [...(values.auth === 'oauth2-client-credentials' ? [] : ['username']), ...(values.auth && values.auth !== 'basic' ? ['clientId'] : []), ...secretsInUse(values)],
    secretsInUse,
  },
  bodySchema: z.strictObject({
    enabled,
    instanceUrl: url(HOST_OR_BASE_URL_PATTERN, HOST_OR_BASE_URL_PATTERN_MESSAGE, 'A host (`acme.service-now.com`, meaning https) or a whole base URL.'),
    auth: z.enum(SNOW_AUTH_METHODS).optional().describe('How the bridge signs in (CONTRACT §2 `SNOW_AUTH`): `basic`, `oauth2-client-credentials` or `oauth2-password`; tokens come from `<instance>/oauth_token.do`.'),
    username: text(),
    password: text(secretNote(IDENTITY)),
    clientId: text('The OAuth application registry entry’s client id.'),
    clientSecret: text(secretNote(IDENTITY)),
    assignmentGroup: text('A group name.'),
    fields: fieldRulesSchema(SNOW_OWNED_COLUMNS).optional().describe(FIELDS_NOTE),
    lifecycle: lifecycleSchema.optional(),
    ...networkBodyShape,
  }),
  configSchema: serviceNowConfigSchema,
  url: { field: 'instanceUrl', schema: serviceNowInstanceUrlSchema },
  env: SYSTEM_ENV.servicenow,
  priorityText: snowPriorityText,
  sync: {
    source: 'servicenow-sync',
    meaning: (status) => STATES[status.state.trim()],
    label: (state) => SNOW_STATE_LABELS[state] ?? state,
  },
  ruleFields: (body) => withoutKeys(body, [...SNOW_OWNED_COLUMNS, 'assignment_group']),
  createAdapter: (config: ServiceNowConfig, options) => new ServiceNowAdapter(config, options),
} as const satisfies SystemDescriptor;
