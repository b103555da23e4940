import { z } from 'zod';
import { fieldProblems, InvalidInputError, type FieldProblem, type TargetSystem } from '@rhx/domain';
import { SYSTEMS } from '@rhx/adapters';
import type { SettingsProfile } from './system-fields.js';

export { SETTING_TEXT } from '@rhx/adapters';

/**
 * What a settings change (`PUT /v1/integrations/:system`, the console's form) takes per settings
 * profile: its descriptor's body schema, any subset of its fields plus `enabled`. Every rule that needs
 * nothing stored is there, so the OpenAPI document made from these schemas states it; the rules that
 * depend on what is stored (a secret needed again when the URL or identity changes; an enabled system
 * complete) are in the descriptions, and checked where the change is written.
 */
export const INTEGRATION_BODY_SCHEMAS = Object.fromEntries(Object.entries(SYSTEMS).map(([p, d]) => [p, d.bodySchema])) as {
  [P in SettingsProfile]: (typeof SYSTEMS)[P]['bodySchema'];
};

/**
 * A settings change's body as its profile's schema reads it.
 * @throws InvalidInputError naming every bad field; an unknown key as its own field, with the fields there are.
 */
export function parseIntegrationBody(system: TargetSystem, profile: SettingsProfile, body: unknown): z.output<(typeof INTEGRATION_BODY_SCHEMAS)[SettingsProfile]> {
  const schema = INTEGRATION_BODY_SCHEMAS[profile];
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = Object.keys(schema.shape).join(', ');
  const d = SYSTEMS[profile];
  const api = d.integration === 'standard' ? '' : ` of the ${d.label} (TICKET_INTEGRATION=${d.integration})`;
  const problems = result.error.issues.flatMap((issue): FieldProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: `is not a ${system} setting${api}; the settings are ${fields}` }))
      : fieldProblems(new z.ZodError([issue])),
  );
  throw new InvalidInputError(`${system} settings`, problems);
}
