import type { FieldRule } from './field-rule.schema.js';
import { renderTemplate, type TemplateContext } from './template.js';

/**
 * A rule's value for this incident: its template rendered (strings inside JSON too), then looked up in
 * `map` (a miss keeps the rendered text). A string stays text for the system to shape; JSON is sent as written.
 */
export function ruleValue(rule: FieldRule, context: TemplateContext): unknown {
  const rendered = renderDeep(rule.value, context);
  if (typeof rendered === 'string' && rule.map && Object.hasOwn(rule.map, rendered)) return rule.map[rendered];
  return rendered;
}

function renderDeep(value: unknown, context: TemplateContext): unknown {
  if (typeof value === 'string') return renderTemplate(value, context);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, context));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, context)]));
  return value;
}

/** The constant texts a rule can send (its value when it has no template, and its map's values), for checks against allowed values. */
export function constantTexts(rule: FieldRule): string[] {
  const constants: unknown[] = rule.map ? Object.values(rule.map) : [];
  if (typeof rule.value === 'string' && !rule.value.includes('{{')) constants.push(rule.value);
  return constants.filter((c): c is string => typeof c === 'string');
}

/** At most `max` UTF-16 code units, ending with a visible "…" when cut, never splitting a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;
  return `${text.slice(0, end)}…`;
}
