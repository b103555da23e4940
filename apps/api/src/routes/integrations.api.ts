import { z } from 'zod';
import { SYSTEMS, profilesServing } from '@rhx/adapters';
import { SETTINGS_PROFILES, targetSystemSchema } from '@rhx/domain';
import { INTEGRATION_BODY_SCHEMAS as ADMIN_BODY_SCHEMAS, type SettingsProfile } from '@rhx/settings';
import { describeRoute, errorResponse } from '../openapi/route-description.js';

/** What PUT takes per settings profile (the schemas every settings change is checked with), titled for the document. */
export const INTEGRATION_BODY_SCHEMAS = Object.fromEntries(
  SETTINGS_PROFILES.map((p) => {
    const d = SYSTEMS[p];
    const served = d.serves === p ? '' : `${d.serves}, `;
    const mode = profilesServing(d.serves).length > 1 ? ` (${served}TICKET_INTEGRATION=${d.integration})` : '';
    return [p, ADMIN_BODY_SCHEMAS[p].meta({ title: `${d.label} settings${mode}` })];
  }),
) as { [P in SettingsProfile]: (typeof ADMIN_BODY_SCHEMAS)[P] };

// `jira` `baseUrl`, `email`; `servicenow` `instanceUrl`, `username`; …, from the descriptors.
const IDENTITY_FIELDS = SETTINGS_PROFILES.map((p) => `${p} ${SYSTEMS[p].settings.identity.map((f) => `\`${f}\``).join(', ')}`).join('; ');

export const systemParams = z.object({ system: targetSystemSchema.describe('The ticketing system; another name is a 404 UNKNOWN_SYSTEM.') });

const instant = z.iso.datetime();
const problemSchema = z.object({ field: z.string(), message: z.string() });
const integrationStatusSchema = z.object({
  system: targetSystemSchema,
  configured: z.boolean(),
  enabled: z.boolean(),
  lastTest: z.object({ at: instant, ok: z.boolean(), message: z.string() }).nullable(),
  health: z
    .object({ ok: z.boolean(), message: z.string().nullable(), since: instant.nullable() })
    .describe('False while the remote refuses the credentials (401/403), with its reason, until a call succeeds.'),
});
const integrationSchema = integrationStatusSchema.extend({
  ticketIntegration: z.enum(['standard', 'proactive']).optional().describe('servicenow only: which API serves it.'),
  settings: z.record(z.string(), z.unknown()).describe('The settings that are not secret (field rules and lifecycle as JSON).'),
  secretsSet: z.array(z.string()).describe('The names of the secrets that are set; never their values.'),
  warnings: z.array(z.string()).describe('What will soon stop the integration: an API token whose `apiTokenExpires` is within 14 days or past.'),
  problems: z.array(problemSchema).optional().describe('After a change of `fields`: the rules\' problems against the remote, in its own names (the settings are saved all the same).'),
});

const jiraStatus = {
  system: 'jira', configured: true, enabled: true,
  lastTest: { at: '2026-11-20T07:58:12.000Z', ok: true, message: 'connected to Jira as svc-rhythmx' },
  health: { ok: true, message: null, since: null },
};
const jiraExample = {
  ...jiraStatus,
  settings: { baseUrl: 'https://acme.atlassian.net', deployment: 'cloud', email: 'svc-rhythmx@acme.example', projectKey: 'SEC', issueType: 'Task' },
  secretsSet: ['apiToken'],
  warnings: [],
};
const unknownSystem = errorResponse('Not a ticketing system this bridge knows.', 'UNKNOWN_SYSTEM', 'unknown target system "remedy"; systems are jira, servicenow');
const settingsAlias = ['/v1/settings/integrations/:system'];

export const integrationApi = {
  list: describeRoute({
    method: 'GET',
    path: '/v1/integrations',
    operationId: 'listIntegrations',
    tag: 'Integrations',
    summary: 'Each ticketing system’s status; never a secret',
    responses: {
      200: { description: 'One entry per system.', schema: z.array(integrationStatusSchema), examples: { jiraOnly: { summary: 'Jira set up, ServiceNow not', value: [jiraStatus, { system: 'servicenow', configured: false, enabled: false, lastTest: null, health: { ok: true, message: null, since: null } }] } } },
    },
  }),
  get: describeRoute({
    method: 'GET',
    path: '/v1/integrations/:system',
    aliases: settingsAlias,
    operationId: 'getIntegration',
    tag: 'Integrations',
    summary: 'One system’s status and settings; secrets only by name',
    params: systemParams,
    responses: {
      200: { description: 'The system.', schema: integrationSchema, examples: { jira: { summary: 'Jira Cloud', value: jiraExample } } },
      404: unknownSystem,
    },
  }),
  put: describeRoute({
    method: 'PUT',
    path: '/v1/integrations/:system',
    aliases: settingsAlias,
    operationId: 'setIntegration',
    tag: 'Integrations',
    summary: 'Set a system’s configuration (any subset of its fields)',
    description:
      'Merged into what is stored. Secrets are write-only and stored encrypted (409 ENCRYPTION_KEY_MISSING without SETTINGS_ENCRYPTION_KEY). ' +
      'The fields depend on the system and, for servicenow, on TICKET_INTEGRATION: the Table API (standard) or the Proactive Case API (proactive). ' +
      'A URL must be a plain base URL on a host INTEGRATION_ALLOWED_HOSTS allows; an enabled system must be complete. ' +
      'No setting, secret or not, may hold NUL (U+0000) or an unpaired UTF-16 surrogate. ' +
      `Rules that depend on what is stored: a change of the URL or identity (${IDENTITY_FIELDS}) ` +
      'must carry the secret again while one is stored (400 naming the secret), so a stored secret is never sent elsewhere; ' +
      '`enabled: true` needs the stored settings with this change to be complete (400 naming each missing field).',
    params: systemParams,
    body: {
      schema: z.union(SETTINGS_PROFILES.map((p) => INTEGRATION_BODY_SCHEMAS[p]) as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]),
      examples: {
        jira: {
          summary: 'PUT /v1/integrations/jira (Jira Cloud)',
          value: { enabled: true, baseUrl: 'https://acme.atlassian.net', deployment: 'cloud', email: 'svc-rhythmx@acme.example', apiToken: '<api token>', projectKey: 'SEC', issueType: 'Task' },
        },
        servicenow: {
          summary: 'PUT /v1/integrations/servicenow (Table API)',
          value: { enabled: true, instanceUrl: 'https://acme.service-now.com', username: 'svc.rhythmx', password: '<password>', assignmentGroup: 'SOC Tier 2' },
        },
        proactive: {
          summary: 'PUT /v1/integrations/servicenow (Proactive Case API)',
          value: { enabled: true, baseUrl: 'https://cases.mssp.example', appId: 'rhythmx-bridge', secret: '<app secret>', serviceIdentifier: 'ACME-SOC' },
        },
        disable: { summary: 'Turn a system off, keeping its settings', value: { enabled: false } },
      },
    },
    responses: {
      200: { description: 'The system as now stored.', schema: integrationSchema, examples: { jira: { summary: 'Jira Cloud', value: jiraExample } } },
      404: unknownSystem,
      409: errorResponse('Secrets sent but no SETTINGS_ENCRYPTION_KEY to store them with.', 'ENCRYPTION_KEY_MISSING', 'SETTINGS_ENCRYPTION_KEY is not set, so credentials cannot be stored'),
    },
  }),
  test: describeRoute({
    method: 'POST',
    path: '/v1/integrations/:system/test',
    aliases: ['/v1/settings/integrations/:system/test'],
    operationId: 'testIntegration',
    tag: 'Integrations',
    summary: 'Test the connection with the stored settings, or with typed ones',
    description: 'One minimal authenticated call, whether or not the system is enabled; the outcome is recorded as `lastTest` and as the system’s health. A failed test is a 200 with `ok: false`. ' +
      'With a body (settings as for PUT), those values are tested over the stored ones and nothing is saved or recorded; a typed URL or identity needs its secret typed too (400 naming it), so a stored secret never goes somewhere new.',
    params: systemParams,
    body: {
      schema: z.union(SETTINGS_PROFILES.map((p) => INTEGRATION_BODY_SCHEMAS[p]) as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]).optional(),
      description: 'Optional: settings to test instead of the stored ones (not saved).',
      examples: { typed: { summary: 'Try another project before saving it', value: { projectKey: 'OPS' } } },
    },
    responses: {
      200: {
        description: 'The outcome.',
        schema: z.object({ ok: z.boolean(), message: z.string(), latencyMs: z.number().int(), problems: z.array(problemSchema).describe('Field rule problems; `ok` is false while there is one.') }),
        examples: {
          ok: { summary: 'Connected', value: { ok: true, message: 'connected to Jira as svc-rhythmx', latencyMs: 212, problems: [] } },
          refused: { summary: 'Credentials refused', value: { ok: false, message: 'Jira answered 401: the credentials were refused', latencyMs: 148, problems: [] } },
          missingRule: {
            summary: 'A required field has no rule',
            value: {
              ok: false,
              message: 'connected to Jira as svc-rhythmx; field rules: 1 problem(s): Security Severity (customfield_10050) is required: add a rule',
              latencyMs: 301,
              problems: [{ field: 'customfield_10050', message: 'Security Severity (customfield_10050) is required: add a rule' }],
            },
          },
        },
      },
      404: unknownSystem,
    },
  }),
} as const;
