import type { JiraFieldMeta } from '@rhx/fields';
import type { SimulatorReply, SimulatorRequest } from './http-simulator.server.js';

/**
 * The create screen of a configured security project (specs/jira-rest.md): a required "Security
 * Severity" select list and required components, plus optional fields of every other input format.
 */
export const SECURITY_PROJECT_FIELDS: readonly JiraFieldMeta[] = [
  { fieldId: 'customfield_10050', name: 'Security Severity', required: true, hasDefaultValue: false, schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' },
    allowedValues: ['Critical', 'High', 'Medium', 'Low'].map((value, i) => ({ id: String(10100 + i), value })) },
  { fieldId: 'components', name: 'Components', required: true, hasDefaultValue: false, schema: { type: 'array', items: 'component', system: 'components' },
    allowedValues: ['SOC', 'Network', 'Identity'].map((name, i) => ({ id: String(10000 + i), name })) },
  { fieldId: 'customfield_10051', name: 'Affected user', required: false, schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' } },
  { fieldId: 'customfield_10052', name: 'Analyst notes', required: false, schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea' } },
  { fieldId: 'customfield_10053', name: 'Risk score', required: false, schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' } },
  { fieldId: 'customfield_10054', name: 'Detected on', required: false, schema: { type: 'date' } },
  { fieldId: 'customfield_10055', name: 'Escalated at', required: false, schema: { type: 'datetime' } },
  { fieldId: 'customfield_10056', name: 'Tactics', required: false, schema: { type: 'array', items: 'option' },
    allowedValues: ['Credential Access', 'Lateral Movement', 'Exfiltration'].map((value) => ({ value })) },
  { fieldId: 'customfield_10057', name: 'Region', required: false, schema: { type: 'option-with-child' }, allowedValues: [{ value: 'EMEA' }, { value: 'AMER' }] },
  { fieldId: 'customfield_10058', name: 'Duty officer', required: false, schema: { type: 'user' } },
  { fieldId: 'versions', name: 'Affects versions', required: false, schema: { type: 'array', items: 'version', system: 'versions' } },
];

/** The fields every create screen has: what the bridge sets, and the reporter (defaulted). */
export const BUILT_IN_FIELDS: readonly JiraFieldMeta[] = [
  { fieldId: 'summary', name: 'Summary', required: true, hasDefaultValue: false, schema: { type: 'string', system: 'summary' } },
  { fieldId: 'issuetype', name: 'Issue Type', required: true, hasDefaultValue: false, schema: { type: 'issuetype', system: 'issuetype' } },
  { fieldId: 'project', name: 'Project', required: true, hasDefaultValue: false, schema: { type: 'project', system: 'project' } },
  { fieldId: 'description', name: 'Description', required: false, schema: { type: 'string', system: 'description' } },
  { fieldId: 'priority', name: 'Priority', required: false, hasDefaultValue: true, schema: { type: 'priority', system: 'priority' } },
  { fieldId: 'labels', name: 'Labels', required: false, schema: { type: 'array', items: 'string', system: 'labels' } },
  { fieldId: 'reporter', name: 'Reporter', required: true, hasDefaultValue: true, schema: { type: 'user', system: 'reporter' } },
  { fieldId: 'assignee', name: 'Assignee', required: false, schema: { type: 'user', system: 'assignee' } },
];

/** `GET issue/createmeta/{project}/issuetypes[/{id}]`, paged, in the Cloud (v3) or Data Center (v2) shape. */
export function createMeta(
  req: SimulatorRequest,
  apiVersion: 2 | 3,
  issueTypes: readonly string[],
  screen: readonly JiraFieldMeta[],
  typeId: string | undefined,
): SimulatorReply {
  const startAt = Number(req.query.get('startAt') ?? 0);
  const maxResults = Math.min(Number(req.query.get('maxResults') ?? 50), 200);
  const all: unknown[] = typeId === undefined
    ? issueTypes.map((name, i) => ({ id: String(10001 + i), name, subtask: false }))
    : screen.map((m) => ({ ...m, key: m.fieldId, operations: ['set'] }));
  if (typeId !== undefined && !issueTypes[Number(typeId) - 10001]) return { status: 404, json: { errorMessages: ['Issue type not found'], errors: {} } };
  const items = all.slice(startAt, startAt + maxResults);
  const paging = { startAt, maxResults, total: all.length };
  if (apiVersion === 2) return { status: 200, json: { ...paging, values: items, isLast: startAt + items.length >= all.length } };
  return { status: 200, json: { ...paging, [typeId === undefined ? 'issueTypes' : 'fields']: items } };
}

/** Jira's `errors` for fields checked against a configured screen (required, allowed values, input formats). */
export function screenErrors(fields: Record<string, unknown>, screen: readonly JiraFieldMeta[], creating: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const meta of screen) {
    const value = fields[meta.fieldId];
    if (value === undefined) {
      if (creating && meta.required && !meta.hasDefaultValue) errors[meta.fieldId] = `${meta.name} is required.`;
      continue;
    }
    const problem = formatProblem(value, meta);
    if (problem) errors[meta.fieldId] = problem;
  }
  return errors;
}

function formatProblem(value: unknown, meta: JiraFieldMeta): string | null {
  const allowed = meta.allowedValues?.map((v) => v.value ?? v.name);
  const item = (v: unknown, key: 'value' | 'name') => {
    const text = (v as Record<string, unknown> | null)?.[key];
    if (typeof text !== 'string') return `Specify a valid '${key}' for ${meta.name}`;
    return allowed && !allowed.includes(text) ? `Option value '${text}' is not valid` : null;
  };
  switch (meta.schema.type) {
    case 'string':
      return meta.schema.custom?.endsWith(':textarea') ? null : typeof value === 'string' ? (value.length > 255 ? `${meta.name} must be less than 255 characters.` : null) : `Operation value must be a string`;
    case 'number':
      return typeof value === 'number' ? null : `Operation value must be a number`;
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : `Error parsing date string: ${String(value)}`;
    case 'datetime':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/.test(value) ? null : `Error parsing time: ${String(value)}`;
    case 'option':
    case 'option-with-child':
      return item(value, 'value');
    case 'user':
      return value !== null && typeof value === 'object' ? null : `Operation value must be an object`;
    case 'array':
      if (!Array.isArray(value)) return 'Operation value must be an array';
      return value.map((v) => (meta.schema.items === 'option' ? item(v, 'value') : meta.schema.items === 'string' ? null : item(v, 'name'))).find((p) => p) ?? null;
    default:
      return null;
  }
}
