import { z } from 'zod';

/** A submitted form: each field's value, or its values when it repeats (checkboxes of one name). */
export type FormFields = Record<string, string | string[]>;

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseForm(body: string): FormFields {
  const fields: FormFields = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const seen = fields[key];
    fields[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
}

/** One field as text ('' when absent; the first value when repeated). */
export function field(form: unknown, name: string): string {
  const value = (form as FormFields | undefined)?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of a repeated field. */
export function fieldList(form: unknown, name: string): string[] {
  const value = (form as FormFields | undefined)?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A query string's values with the empty ones left out: an empty filter box means "any". */
export function nonEmpty(query: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

/** A form's date field: a UTC day, as `<input type="date">` sends it. */
export const dayField = z.iso.date('must be a date (YYYY-MM-DD)');

/**
 * A form's "from/to" days as the instants a list filters on: from the first day's start to the end of the
 * last one (exclusive). Operators ask for days ("what happened on the 3rd"), read as UTC days.
 */
export function dayRange(from: string | undefined, to: string | undefined): { since?: string; until?: string } {
  return {
    ...(from ? { since: `${from}T00:00:00.000Z` } : {}),
    ...(to ? { until: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() } : {}),
  };
}
