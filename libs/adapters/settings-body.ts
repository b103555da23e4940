import { z } from 'zod';

// The building blocks of the descriptors' settings-change bodies (`PUT /v1/integrations/:system`).

/**
 * A setting's text once trimmed: not blank, and storable (no U+0000, no unpaired surrogate; the `u` flag
 * makes a surrogate pair one code point). Written so that the untrimmed value matches exactly when the
 * trimmed one does, so the OpenAPI document, which sees the value as sent, says what the server does.
 */
export const SETTING_TEXT = /^\s*[^\s\u0000\uD800-\uDFFF][^\u0000\uD800-\uDFFF]*$/u;
export const SETTING_TEXT_MESSAGE = 'must not be blank, and must not contain NUL (\\u0000) or unpaired UTF-16 surrogates';

export const trimmed = () => z.string().trim().min(1, { message: 'must not be empty', abort: true });
export const max = (n: number) => [n, `must be at most ${n} characters`] as const;

/** Optional storable text, with its description for the API document. */
export const text = (description?: string) => {
  const schema = trimmed().regex(SETTING_TEXT, SETTING_TEXT_MESSAGE);
  return (description ? schema.describe(description) : schema).optional();
};
export const limitedText = (n: number) => trimmed().max(...max(n)).regex(SETTING_TEXT, SETTING_TEXT_MESSAGE).optional();

const HOST_RULE = 'Its host must be one INTEGRATION_ALLOWED_HOSTS allows (public hosts only, unless listed).';
export const url = (pattern: RegExp, message: string, what: string) => trimmed().regex(pattern, message).describe(`${what} ${HOST_RULE}`).optional();

/** The description of a write-only setting, naming the settings whose change needs it again. */
export const secretNote = (identity: readonly string[]) =>
  `Write-only, stored encrypted. Needed again in the same change whenever ${identity.join(' or ')} changes while one is stored.`;

export const enabled = z.boolean().optional().describe('True needs the settings, as stored and changed here, complete for the system.');

export const FIELDS_NOTE =
  'Field rules (CONTRACT §3): `[{field, value, map?, onUpdate?}]`, applied in order on every create, and on updates for those with `onUpdate: true` (only what changed). Saving and Test Connection ' +
  'check them against the remote (required fields without a rule, fields not on the screen, values not allowed, paths not in the incident) and answer `problems`.';

/** `record` without `keys`. */
export const withoutKeys = (record: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
