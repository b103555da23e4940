import { autoPushSettingsSchema } from '@rhx/settings';
import { describeRoute } from '../openapi/route-description.js';

/** What PUT takes: the whole settings, nothing else (an unknown key is a 400 naming it). */
export const autoPushBody = autoPushSettingsSchema.strict();

const example = { enabled: true, minSeverity: 'HIGH', targets: ['jira', 'servicenow'] };

export const settingsApi = {
  read: describeRoute({
    method: 'GET',
    path: '/v1/auto-push',
    operationId: 'getAutoPush',
    tag: 'Auto-push',
    summary: 'Which incidents get tickets without anyone asking',
    responses: {
      200: { description: 'The auto-push settings.', schema: autoPushSettingsSchema, examples: { highAndAbove: { summary: 'HIGH and CRITICAL to both systems', value: example } } },
    },
  }),
  write: describeRoute({
    method: 'PUT',
    path: '/v1/auto-push',
    operationId: 'setAutoPush',
    tag: 'Auto-push',
    summary: 'Set the auto-push settings',
    description: 'Applies to incidents ingested from now on: an incident at or above `minSeverity` gets a ticket in each of `targets`.',
    body: {
      schema: autoPushBody,
      examples: {
        highAndAbove: { summary: 'HIGH and CRITICAL to both systems', value: example },
        off: { summary: 'Off: tickets only by manual push', value: { enabled: false, minSeverity: 'CRITICAL', targets: ['jira'] } },
      },
    },
    responses: {
      200: { description: 'The settings now in force.', schema: autoPushSettingsSchema, examples: { highAndAbove: { summary: 'As set', value: example } } },
    },
  }),
} as const;
