import type { FieldRule } from './field-rule.schema.js';
import { isTextarea, type JiraFieldMeta } from './jira-field-meta.js';
import { constantTexts, cutText, ruleValue } from './rule-value.js';
import { pathProblem, templatePaths, type TemplateContext } from './template.js';

/** A problem of CONTRACT §3: the field in the remote's own names, and what is wrong. */
export interface FieldRuleProblem {
  field: string;
  message: string;
}

const TEXT_MAX = 255;
const TEXTAREA_MAX = 32_767;

type Shaped = { value: unknown } | { skip: true } | { problem: string };

/** Jira's input format for `text` in a field of this schema (specs/jira-rest.md, "Field input formats"). */
export function shapeJiraText(text: string, meta: JiraFieldMeta, deployment: 'cloud' | 'server'): Shaped {
  const { type, items } = meta.schema;
  if (text.trim() === '') return { skip: true };
  const list = () => text.split(',').map((t) => t.trim()).filter(Boolean);
  switch (type) {
    case 'string':
      if (!isTextarea(meta)) return { value: cutText(text.replace(/[\r\n]+/g, ' '), TEXT_MAX) };
      return { value: deployment === 'server' ? cutText(text, TEXTAREA_MAX) : adfParagraph(cutText(text, TEXTAREA_MAX)) };
    case 'number': {
      const n = Number(text.trim());
      return Number.isFinite(n) ? { value: n } : { problem: `"${cutText(text, 40)}" is not a number` };
    }
    case 'date':
    case 'datetime': {
      const at = Date.parse(text.trim());
      if (Number.isNaN(at)) return { problem: `"${cutText(text, 40)}" is not a date` };
      const iso = new Date(at).toISOString();
      return { value: type === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 23)}+0000` };
    }
    case 'option':
      return { value: { value: text.trim() } };
    case 'option-with-child': {
      const [parent, child] = text.split('/').map((t) => t.trim());
      return { value: child ? { value: parent, child: { value: child } } : { value: parent } };
    }
    case 'user':
      return { value: deployment === 'cloud' ? { accountId: text.trim() } : { name: text.trim() } };
    case 'array':
      if (items === 'option') return { value: list().map((value) => ({ value })) };
      if (items === 'string') return { value: text.split(/[\s,]+/).filter(Boolean) };
      if (items === 'component' || items === 'version') return { value: list().map((name) => ({ name })) };
      if (items === 'user') return { value: list().map((u) => (deployment === 'cloud' ? { accountId: u } : { name: u })) };
      return { problem: `fields holding a list of ${items ?? 'values'} take a JSON value in the rule, not text` };
    default:
      return { problem: `fields of type ${type} take a JSON value in the rule, not text` };
  }
}

function adfParagraph(text: string): unknown {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

/**
 * The `fields` the rules add to a Jira create (or edit) for this incident, shaped by the screen's
 * metadata; `labels` come back apart, to be merged with the bridge's own (never replacing the dedup label).
 * A rule for a field not on the screen, or whose value cannot be shaped, is a problem (the push fails
 * permanently with it, naming the field).
 */
export function buildJiraFields(
  rules: readonly FieldRule[],
  context: TemplateContext,
  screen: ReadonlyMap<string, JiraFieldMeta>,
  deployment: 'cloud' | 'server',
): { fields: Record<string, unknown>; labels: string[]; problems: FieldRuleProblem[] } {
  const fields: Record<string, unknown> = {};
  const labels: string[] = [];
  const problems: FieldRuleProblem[] = [];
  for (const rule of rules) {
    const meta = screen.get(rule.field);
    const value = ruleValue(rule, context);
    if (rule.field === 'labels') {
      labels.push(...(typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : Array.isArray(value) ? value.map(String) : []));
      continue;
    }
    if (!meta) {
      problems.push({ field: rule.field, message: `${rule.field} is not on the screen: add it there or remove the rule` });
      continue;
    }
    if (typeof value !== 'string') {
      fields[rule.field] = value;
      continue;
    }
    const shaped = shapeJiraText(value, meta, deployment);
    if ('problem' in shaped) problems.push({ field: rule.field, message: `${meta.name} (${meta.fieldId}): ${shaped.problem}` });
    else if ('value' in shaped) fields[rule.field] = shaped.value;
  }
  return { fields, labels, problems };
}

/**
 * What is wrong with `rules` for a create screen, before any push: required fields that have no rule and
 * no default (except `setByBridge`), rules for fields not on the screen, constant values the field does
 * not allow, template paths that do not exist.
 */
export function checkJiraRules(rules: readonly FieldRule[], screen: readonly JiraFieldMeta[], setByBridge: readonly string[]): FieldRuleProblem[] {
  const byId = new Map(screen.map((m) => [m.fieldId, m]));
  const ruled = new Set(rules.map((r) => r.field));
  const problems: FieldRuleProblem[] = [];
  for (const meta of screen) {
    if (meta.required && !meta.hasDefaultValue && !ruled.has(meta.fieldId) && !setByBridge.includes(meta.fieldId)) {
      problems.push({ field: meta.fieldId, message: `${meta.name} (${meta.fieldId}) is required: add a rule` });
    }
  }
  for (const rule of rules) {
    const meta = byId.get(rule.field);
    if (!meta) {
      if (rule.field !== 'labels') problems.push({ field: rule.field, message: `${rule.field} is not on the create screen: add it there or remove the rule` });
    } else if (meta.allowedValues?.length) {
      const allowed = meta.allowedValues.map((v) => v.value ?? v.name ?? v.id ?? '');
      for (const text of constantTexts(rule)) {
        for (const one of meta.schema.type === 'array' ? text.split(',').map((t) => t.trim()) : [text.split('/')[0]!.trim()]) {
          if (!allowed.includes(one)) problems.push({ field: rule.field, message: `"${one}" is not an allowed value of ${meta.name} (${meta.fieldId}); allowed: ${allowed.join(', ')}` });
        }
      }
    }
  }
  return [...problems, ...checkTemplates(rules)];
}

/** Template problems of every rule: unknown paths and unterminated tags. */
export function checkTemplates(rules: readonly FieldRule[]): FieldRuleProblem[] {
  return rules.flatMap((rule) => {
    const texts: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') texts.push(v);
      else if (Array.isArray(v)) v.forEach(collect);
      else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(rule.value);
    return texts.flatMap((t) => {
      const { paths, problems } = templatePaths(t);
      return [...problems, ...paths.map(pathProblem).filter((p): p is string => p !== null)].map((message) => ({ field: rule.field, message: `the rule's value ${message}` }));
    });
  });
}
