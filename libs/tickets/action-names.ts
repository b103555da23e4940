import { cutToLength } from './text-normalise.js';
import { inline } from './ticket-sections.js';

/** Hosts or users named in one action; the rest are counted ("and 295 more hosts"). */
export const MAX_NAMED = 5;
/** Longest name (host, user, technique, rule) written into an action. */
const MAX_NAME_CHARS = 80;

/**
 * A name worth putting in an action: normalised as every incident string, cut at 80 characters,
 * and undefined for a blank or placeholder value such as `-`. With `quote`, a name holding a space
 * or comma is quoted, so that a host or user called "user with spaces" reads as one name.
 */
export function actionName(text: string | undefined, quote = true): string | undefined {
  const line = inline(text);
  if (line === undefined || /^[\s\-–—]*$/.test(line)) return undefined;
  const short = cutToLength(line, MAX_NAME_CHARS);
  return quote && /[\s,]/.test(short) ? `"${short}"` : short;
}

/** `A`, `A and B`, `A, B and C`, … `A, B, C, D, E and 7 more hosts`; undefined for no names. */
export function nameList(names: readonly string[], noun: string): string | undefined {
  if (names.length === 0) return undefined;
  const shown = names.slice(0, MAX_NAMED);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more ${noun}`;
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
