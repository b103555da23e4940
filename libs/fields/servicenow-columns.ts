import type { FieldRule } from './field-rule.schema.js';
import { checkTemplates, type FieldRuleProblem } from './jira-fields.js';
import { constantTexts, cutText, ruleValue } from './rule-value.js';
import type { TemplateContext } from './template.js';

/** Out-of-the-box reference columns of `incident` and the table each points at (specs/servicenow-table-api.md). */
export const SNOW_REFERENCE_TABLES: Readonly<Record<string, string>> = {
  caller_id: 'sys_user',
  assigned_to: 'sys_user',
  opened_by: 'sys_user',
  cmdb_ci: 'cmdb_ci',
  business_service: 'cmdb_ci_service',
  assignment_group: 'sys_user_group',
};

const SYS_ID = /^[0-9a-f]{32}$/;
const COLUMN_MAX = 32_767;

/** A reference column given by its display value: the adapter resolves it to a sys_id with one look-up. */
export interface ReferenceLookup {
  column: string;
  table: string;
  display: string;
}

/**
 * The columns the rules add to a ServiceNow create (values are strings): a reference column by sys_id as
 * given, or by display value through one look-up (`lookups`); JSON values are refused (ServiceNow columns
 * hold text).
 */
export function buildServiceNowColumns(
  rules: readonly FieldRule[],
  context: TemplateContext,
  referenceTables: Readonly<Record<string, string>> = SNOW_REFERENCE_TABLES,
): { columns: Record<string, string>; lookups: ReferenceLookup[]; problems: FieldRuleProblem[] } {
  const columns: Record<string, string> = {};
  const lookups: ReferenceLookup[] = [];
  const problems: FieldRuleProblem[] = [];
  for (const rule of rules) {
    const value = ruleValue(rule, context);
    if (value !== null && typeof value === 'object') {
      problems.push({ field: rule.field, message: `${rule.field} is a ServiceNow column: its rule's value must be text, a number or true/false` });
      continue;
    }
    const text = cutText(String(value ?? ''), COLUMN_MAX);
    if (text.trim() === '') continue;
    const table = referenceTables[rule.field];
    if (table && !SYS_ID.test(text.trim())) lookups.push({ column: rule.field, table, display: text.trim() });
    else columns[rule.field] = text;
  }
  return { columns, lookups, problems };
}

/** A `sys_dictionary` row of `incident`: the column, whether it is mandatory, its type and referenced table. */
export interface DictionaryColumn {
  element: string;
  label?: string;
  mandatory: boolean;
  reference?: string;
}

/**
 * What is wrong with `rules` for the instance, before any push, when its dictionary can be read:
 * columns that do not exist (ServiceNow would drop them silently), mandatory columns without a rule
 * (except `setByBridge`), constant values that are not among a choice column's choices. Without
 * dictionary access, only the templates are checked and `unchecked` says what could not be.
 */
export function checkServiceNowRules(
  rules: readonly FieldRule[],
  dictionary: readonly DictionaryColumn[] | null,
  choices: ReadonlyMap<string, readonly string[]>,
  setByBridge: readonly string[],
): { problems: FieldRuleProblem[]; unchecked?: string } {
  const templates = checkTemplates(rules);
  if (!dictionary) {
    return { problems: templates, unchecked: 'the integration user may not read sys_dictionary: columns and mandatory fields were not checked (a missing one shows at the first push as a data-policy refusal)' };
  }
  const byName = new Map(dictionary.map((c) => [c.element, c]));
  const ruled = new Set(rules.map((r) => r.field));
  const problems: FieldRuleProblem[] = [];
  for (const c of dictionary) {
    if (c.mandatory && !ruled.has(c.element) && !setByBridge.includes(c.element)) {
      problems.push({ field: c.element, message: `${c.label ?? c.element} (${c.element}) is mandatory: add a rule` });
    }
  }
  for (const rule of rules) {
    if (!byName.has(rule.field)) {
      problems.push({ field: rule.field, message: `${rule.field} is not a column of incident: ServiceNow would silently drop it` });
      continue;
    }
    const offered = choices.get(rule.field);
    if (!offered?.length) continue;
    for (const text of constantTexts(rule)) {
      if (!offered.includes(text)) problems.push({ field: rule.field, message: `"${text}" is not a choice of ${rule.field}; choices: ${offered.join(', ')}` });
    }
  }
  return { problems: [...problems, ...templates] };
}
