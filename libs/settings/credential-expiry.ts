import { SYSTEMS, type SystemDescriptor } from '@rhx/adapters';
import type { SettingsProfile } from '@rhx/domain';
import type { SettingsValues } from './system-fields.js';

/** How far ahead an expiring credential is announced: two weeks, time to get a new one through a change process. */
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * What will soon stop the integration, in words for the operator: an API token whose recorded expiry
 * date is within {@link EXPIRY_WARNING_DAYS} or past (a `401` alone cannot say why). Only while the
 * sign-in method uses that token. Pure.
 */
export function credentialWarnings(profile: SettingsProfile, values: SettingsValues, now: Date): string[] {
  const settings = SYSTEMS[profile].settings as SystemDescriptor['settings'];
  const expires = settings.expires;
  const date = expires ? values[expires.field] : undefined;
  if (!expires || !date || !(settings.secretsInUse?.(values) ?? settings.secret).includes(expires.secret)) return [];
  const at = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(at)) return [];
  const days = Math.ceil((at - now.getTime()) / DAY_MS);
  const label = SYSTEMS[profile].label;
  if (days <= 0) return [`${expires.what} expired on ${date}: ${label} refuses it; set a new ${expires.secret} and its ${expires.field}`];
  if (days > EXPIRY_WARNING_DAYS) return [];
  return [`${expires.what} expires on ${date}, in ${days} day${days === 1 ? '' : 's'}: make a new one and set ${expires.secret} and ${expires.field} before then`];
}
