import { z } from 'zod';
import { lifecycleSchema } from '@rhx/fields';
import { SYSTEM_ENV } from '@rhx/config';
import { BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE } from '../http/base-url.pattern.js';
import { snowPriorityText } from '../servicenow/servicenow.priority.js';
import { SETTING_TEXT, SETTING_TEXT_MESSAGE, enabled, limitedText, max, secretNote, trimmed, url } from '../settings-body.js';
import type { StatusMeaning, SystemDescriptor } from '../system-descriptor.js';
import { NETWORK_LABELS, NETWORK_SECRET, NETWORK_VISIBLE, networkBodyShape } from '../network-settings.js';
import { ProactiveAdapter } from './proactive.adapter.js';
import { PROACTIVE_APP_ID, PROACTIVE_HEADER_TEXT, PROACTIVE_SETTING_MAX, proactiveBaseUrlSchema, proactiveConfigSchema, type ProactiveConfig } from './proactive.config.js';

const IDENTITY = ['baseUrl', 'appId'] as const;

// The spec's ticketStatus values, compared case- and space-insensitively: older cases say `Work In
// Progress` and `Canceled`. New, Pending and Suspended leave the analyst status alone.
const STATUSES: Readonly<Record<string, StatusMeaning>> = {
  'new': { analystStatus: undefined, open: true },
  'pending': { analystStatus: undefined, open: true },
  'suspended': { analystStatus: undefined, open: true },
  'work in progress': { analystStatus: 'IN_PROGRESS', open: true },
  'resolved': { analystStatus: 'CLOSED', open: false },
  'closed': { analystStatus: 'CLOSED', open: false },
  'cancelled': { analystStatus: 'FALSE_POSITIVE', open: false },
  'canceled': { analystStatus: 'FALSE_POSITIVE', open: false },
};

/** The MSSP's Proactive Case API: serves the `servicenow` target when `TICKET_INTEGRATION=proactive`. */
export const PROACTIVE_SYSTEM = {
  profile: 'proactive',
  serves: 'servicenow',
  integration: 'proactive',
  label: 'Proactive Case API',
  title: () => 'ServiceNow (Proactive Case API)',
  ticketNoun: 'Proactive case',
  gateLabel: 'SNOW',
  settings: {
    visible: ['baseUrl', 'appId', 'table', 'source', 'serviceIdentifier', 'lifecycle', ...NETWORK_VISIBLE],
    secret: ['secret', ...NETWORK_SECRET],
    required: ['baseUrl', 'appId', 'secret', 'serviceIdentifier'],
    identity: IDENTITY,
    json: ['lifecycle'],
    labels: { baseUrl: 'Base URL', appId: 'App ID', secret: 'Secret', table: 'Table', source: 'Source', serviceIdentifier: 'Service identifier', lifecycle: 'Lifecycle', ...NETWORK_LABELS },
  },
  bodySchema: z.strictObject({
    enabled,
    baseUrl: url(BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE, 'The Proactive Case API’s base URL.'),
    appId: trimmed().max(...max(PROACTIVE_SETTING_MAX.appId)).regex(PROACTIVE_APP_ID, 'must be printable ASCII without ":" (it is the user id of Basic credentials)').optional(),
    secret: trimmed().max(...max(PROACTIVE_SETTING_MAX.secret)).regex(SETTING_TEXT, SETTING_TEXT_MESSAGE).describe(secretNote(IDENTITY)).optional(),
    table: limitedText(PROACTIVE_SETTING_MAX.table),
    source: trimmed().max(...max(PROACTIVE_SETTING_MAX.source)).regex(PROACTIVE_HEADER_TEXT, 'must be printable ASCII (it is sent in an HTTP header)').optional(),
    serviceIdentifier: limitedText(PROACTIVE_SETTING_MAX.serviceIdentifier),
    lifecycle: lifecycleSchema.optional(),
    ...networkBodyShape,
  }),
  configSchema: proactiveConfigSchema,
  url: { field: 'baseUrl', schema: proactiveBaseUrlSchema },
  env: SYSTEM_ENV.proactive,
  priorityText: snowPriorityText,
  sync: {
    source: 'proactive-snow-sync',
    meaning: (status) => STATUSES[status.state.trim().toLowerCase().replace(/\s+/g, ' ')],
    label: (state) => state,
  },
  ruleFields: () => ({}),
  createAdapter: (config: ProactiveConfig, options) => new ProactiveAdapter(config, options),
} as const satisfies SystemDescriptor;
