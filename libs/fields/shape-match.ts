/**
 * Whether a field's current value (as the remote reads it back, with its ids and links) already says what
 * `wanted` (as a rule shapes it for a write) says: every key of a wanted object matches, arrays match item
 * by item, anything else is equal. An update then sets only the fields a rule would change.
 */
export function alreadyHas(current: unknown, wanted: unknown): boolean {
  if (wanted === null || typeof wanted !== 'object') return current === wanted || (current !== null && current !== undefined && String(current) === String(wanted) && typeof current !== 'object');
  if (current === null || typeof current !== 'object') return false;
  if (Array.isArray(wanted)) return Array.isArray(current) && current.length === wanted.length && wanted.every((w, i) => alreadyHas(current[i], w));
  return Object.entries(wanted).every(([k, v]) => alreadyHas((current as Record<string, unknown>)[k], v));
}
