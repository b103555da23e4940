import { z } from 'zod';
import { fieldProblems, InvalidInputError, type FieldProblem, type TargetSystem } from '@rhx/domain';
import {
  BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE, HOST_OR_BASE_URL_PATTERN, HOST_OR_BASE_URL_PATTERN_MESSAGE, JIRA_PROJECT_KEY, JIRA_PROJECT_KEY_MESSAGE,
  PROACTIVE_APP_ID, PROACTIVE_HEADER_TEXT, PROACTIVE_SETTING_MAX,
} from '@rhx/adapters';
import { SYSTEM_FIELDS, type SettingsProfile } from './system-fields.js';

/**
 * A setting's text once trimmed: not blank, and storable (no U+0000, no unpaired surrogate; the `u` flag
 * makes a surrogate pair one code point). Written so that the untrimmed value matches exactly when the
 * trimmed one does, so the OpenAPI document, which sees the value as sent, says what the server does.
 */
export const SETTING_TEXT = /^\s*[^\s\u0000\uD800-\uDFFF][^\u0000\uD800-\uDFFF]*$/u;
const SETTING_TEXT_MESSAGE = 'must not be blank, and must not contain NUL (\\u0000) or unpaired UTF-16 surrogates';

const trimmed = () => z.string().trim().min(1, { message: 'must not be empty', abort: true });
const max = (n: number) => [n, `must be at most ${n} characters`] as const;
const text = (description?: string) => {
  const schema = trimmed().regex(SETTING_TEXT, SETTING_TEXT_MESSAGE);
  return (description ? schema.describe(description) : schema).optional();
};
const limitedText = (n: number) => trimmed().max(...max(n)).regex(SETTING_TEXT, SETTING_TEXT_MESSAGE).optional();
const HOST_RULE = 'Its host must be one INTEGRATION_ALLOWED_HOSTS allows (public hosts only, unless listed).';
const url = (pattern: RegExp, message: string, what: string) => trimmed().regex(pattern, message).describe(`${what} ${HOST_RULE}`).optional();
const secretNote = (profile: SettingsProfile) =>
  `Write-only, stored encrypted. Needed again in the same change whenever ${SYSTEM_FIELDS[profile].identity.join(' or ')} changes while one is stored.`;
const enabled = z.boolean().optional().describe('True needs the settings, as stored and changed here, complete for the system.');

/**
 * What a settings change (`PUT /v1/integrations/:system`, the console's form) takes per settings
 * profile: any subset of its fields, plus `enabled`. Every rule that needs nothing stored is here, so
 * the OpenAPI document made from these schemas states it; the rules that depend on what is stored (a
 * secret needed again when the URL or identity changes; an enabled system complete) are in the
 * descriptions, and checked where the change is written.
 */
export const INTEGRATION_BODY_SCHEMAS = {
  jira: z.strictObject({
    enabled,
    baseUrl: url(BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE, 'Jira’s base URL, with its context path if any.'),
    deployment: z.enum(['cloud', 'server']).optional(),
    email: text('The account (Cloud: required; Data Center: leave unset to use apiToken as a personal access token).'),
    apiToken: text(secretNote('jira')),
    projectKey: trimmed().regex(JIRA_PROJECT_KEY, JIRA_PROJECT_KEY_MESSAGE).optional(),
    issueType: text(),
  }),
  servicenow: z.strictObject({
    enabled,
    instanceUrl: url(HOST_OR_BASE_URL_PATTERN, HOST_OR_BASE_URL_PATTERN_MESSAGE, 'A host (`acme.service-now.com`, meaning https) or a whole base URL.'),
    username: text(),
    password: text(secretNote('servicenow')),
    assignmentGroup: text('A group name.'),
  }),
  proactive: z.strictObject({
    enabled,
    baseUrl: url(BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE, 'The Proactive Case API’s base URL.'),
    appId: trimmed().max(...max(PROACTIVE_SETTING_MAX.appId)).regex(PROACTIVE_APP_ID, 'must be printable ASCII without ":" (it is the user id of Basic credentials)').optional(),
    secret: trimmed().max(...max(PROACTIVE_SETTING_MAX.secret)).regex(SETTING_TEXT, SETTING_TEXT_MESSAGE).describe(secretNote('proactive')).optional(),
    table: limitedText(PROACTIVE_SETTING_MAX.table),
    source: trimmed().max(...max(PROACTIVE_SETTING_MAX.source)).regex(PROACTIVE_HEADER_TEXT, 'must be printable ASCII (it is sent in an HTTP header)').optional(),
    serviceIdentifier: limitedText(PROACTIVE_SETTING_MAX.serviceIdentifier),
  }),
} as const satisfies Record<SettingsProfile, z.ZodObject>;

/**
 * A settings change's body as its profile's schema reads it.
 * @throws InvalidInputError naming every bad field; an unknown key as its own field, with the fields there are.
 */
export function parseIntegrationBody(system: TargetSystem, profile: SettingsProfile, body: unknown): z.output<(typeof INTEGRATION_BODY_SCHEMAS)[SettingsProfile]> {
  const schema = INTEGRATION_BODY_SCHEMAS[profile];
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = Object.keys(schema.shape).join(', ');
  const api = profile === 'proactive' ? ' of the Proactive Case API (TICKET_INTEGRATION=proactive)' : '';
  const problems = result.error.issues.flatMap((issue): FieldProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: `is not a ${system} setting${api}; the settings are ${fields}` }))
      : fieldProblems(new z.ZodError([issue])),
  );
  throw new InvalidInputError(`${system} settings`, problems);
}
