import { z } from 'zod';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const json: z.ZodType<Json> = z.lazy(() => z.union([z.string().max(32_767), z.number(), z.boolean(), z.null(), z.array(json).max(100), z.record(z.string(), json)]));

/**
 * One field rule (CONTRACT §3): `field` is a Jira field id (`customfield_10050`, `components`) or a
 * ServiceNow column (`category`, `u_…`); `value` a string (a constant or a template) or JSON whose
 * strings are templates; `map` turns the rendered text into the value sent; `onUpdate` sets it again on
 * updates when it changed.
 */
export const fieldRuleSchema = z.strictObject({
  field: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,79}$/, 'must be a field id or column name such as customfield_10050 or u_risk'),
  value: json,
  map: z.record(z.string(), json).optional(),
  onUpdate: z.boolean().optional(),
});
export type FieldRule = z.infer<typeof fieldRuleSchema>;

/**
 * A system's ordered field rules: at most 50, one per field, never a field the bridge sets itself
 * (`owned`: the summary, description, priority, dedup key…). `labels` may be a rule on Jira: its labels
 * are added to the bridge's own, never replacing the dedup label.
 */
export function fieldRulesSchema(owned: readonly string[]) {
  return z
    .array(fieldRuleSchema)
    .max(50, 'must have at most 50 rules')
    .superRefine((rules, ctx) => {
      const seen = new Set<string>();
      rules.forEach((rule, i) => {
        if (owned.includes(rule.field)) ctx.addIssue({ code: 'custom', path: [i, 'field'], message: `"${rule.field}" is set by the bridge itself; it cannot have a rule` });
        if (seen.has(rule.field)) ctx.addIssue({ code: 'custom', path: [i, 'field'], message: `"${rule.field}" has more than one rule` });
        seen.add(rule.field);
      });
    });
}

/** Field rules as stored (a JSON text setting) or as given (an array): the array. */
export function storedRules(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? [];
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
