import type { FieldProblem } from '@rhx/domain';
import type { SystemDescriptor } from '@rhx/adapters';
import { SYSTEM_FIELDS, type SettingsProfile, type SettingsValues } from './system-fields.js';

/**
 * The rule that keeps a stored secret with the place and account it was given for: a change of a
 * system's URL or identity (Jira `baseUrl`, `email`; ServiceNow `instanceUrl`, `username`; Proactive `baseUrl`, `appId`) must carry
 * the secret again, or the stored one would be sent to the new URL. Only applies while a secret is
 * stored; re-sending an unchanged value is no change. Pure; one problem per missing secret.
 */
export function identityChangeProblems(system: SettingsProfile, current: SettingsValues, change: SettingsValues): FieldProblem[] {
  const fields = SYSTEM_FIELDS[system] as SystemDescriptor['settings'];
  // A setting never stored reads as its default (`auth` unset is `basic`): saying the default out loud changes nothing.
  const stored = (k: string) => current[k] ?? Object.keys(fields.choices?.[k] ?? {})[0];
  const changed = fields.identity.filter((k) => change[k] !== undefined && change[k] !== stored(k));
  if (changed.length === 0) return [];
  // Only the secrets the changed settings sign in with: a switch to OAuth needs the client secret, not the API token.
  const inUse = fields.secretsInUse?.({ ...current, ...change }) ?? fields.secret;
  return fields.secret
    .filter((secret) => inUse.includes(secret) && current[secret] && !change[secret])
    .map((secret) => ({
      path: secret,
      message: `is required again when ${changed.join(' or ')} changes, so the stored ${secret} is never sent to another URL or account`,
    }));
}
