export { fieldRuleSchema, fieldRulesSchema, storedRules, type FieldRule } from './field-rule.schema.js';
export { renderTemplate, templatePaths, pathProblem, EXTRA_KEYS, type TemplateContext } from './template.js';
export { cutText, ruleValue } from './rule-value.js';
export { jiraFieldMetaSchema, type JiraFieldMeta } from './jira-field-meta.js';
export { buildJiraFields, checkJiraRules, checkTemplates, shapeJiraText, type FieldRuleProblem } from './jira-fields.js';
export {
  buildServiceNowColumns, checkServiceNowRules, SNOW_REFERENCE_TABLES, type DictionaryColumn, type ReferenceLookup,
} from './servicenow-columns.js';
export { lifecycleSchema, type Lifecycle } from './lifecycle.schema.js';
export { alreadyHas } from './shape-match.js';
