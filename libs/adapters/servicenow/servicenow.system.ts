import { z } from 'zod';
import { SYSTEM_ENV } from '@rhx/config';
import { HOST_OR_BASE_URL_PATTERN, HOST_OR_BASE_URL_PATTERN_MESSAGE } from '../http/base-url.pattern.js';
import { enabled, secretNote, text, url, withoutKeys } from '../settings-body.js';
import type { StatusMeaning, SystemDescriptor } from '../system-descriptor.js';
import { ServiceNowAdapter } from './servicenow.adapter.js';
import { fieldRulesSchema, lifecycleSchema } from '@rhx/fields';
import { FIELDS_NOTE } from '../settings-body.js';
import { SNOW_OWNED_COLUMNS, serviceNowConfigSchema, serviceNowInstanceUrlSchema, type ServiceNowConfig } from './servicenow.config.js';
import { snowPriorityText } from './servicenow.priority.js';

const IDENTITY = ['instanceUrl', 'username'] as const;

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
    visible: ['instanceUrl', 'username', 'assignmentGroup', 'fields', 'lifecycle'],
    secret: ['password'],
    required: ['instanceUrl', 'username', 'password'],
    identity: IDENTITY,
    labels: { instanceUrl: 'Instance URL', username: 'User name', password: 'Password', assignmentGroup: 'Assignment group', fields: 'Field rules', lifecycle: 'Lifecycle' },
    json: ['fields', 'lifecycle'],
  },
  bodySchema: z.strictObject({
    enabled,
    instanceUrl: url(HOST_OR_BASE_URL_PATTERN, HOST_OR_BASE_URL_PATTERN_MESSAGE, 'A host (`acme.service-now.com`, meaning https) or a whole base URL.'),
    username: text(),
    password: text(secretNote(IDENTITY)),
    assignmentGroup: text('A group name.'),
    fields: fieldRulesSchema(SNOW_OWNED_COLUMNS).optional().describe(FIELDS_NOTE),
    lifecycle: lifecycleSchema.optional(),
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
