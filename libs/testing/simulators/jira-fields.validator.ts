import type { JiraFieldMeta } from '@rhx/fields';
import { screenErrors } from './jira-screen.js';
import { adfProblem } from './adf.validator.js';

/** Jira's standard priority names. */
export const JIRA_PRIORITIES: readonly string[] = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];

const SETTABLE = new Set(['project', 'issuetype', 'summary', 'description', 'priority', 'labels', 'assignee', 'reporter', 'components']);
const DESCRIPTION_NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';

/** What a create or edit is validated against. */
export interface JiraValidationContext {
  apiVersion: 2 | 3;
  projects: readonly string[];
  issueTypes: readonly string[];
  /** Edits check only the fields they send; creates also need project, type and summary. */
  creating: boolean;
  /** The project's own fields on its screen (custom fields, components…), checked by their metadata. */
  screen?: readonly JiraFieldMeta[];
}

/** Jira's `errors` map for `fields` (empty when valid), with Jira's own messages. */
export function jiraFieldErrors(fields: Record<string, unknown>, ctx: JiraValidationContext): Record<string, string> {
  const errors: Record<string, string> = {};
  const onScreen = new Set(ctx.screen?.map((m) => m.fieldId) ?? []);
  for (const name of Object.keys(fields)) {
    if (!SETTABLE.has(name) && !onScreen.has(name)) errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
  }
  if (ctx.creating || 'project' in fields) {
    const key = (fields.project as { key?: unknown } | undefined)?.key;
    if (typeof key !== 'string' || !ctx.projects.includes(key)) errors.project = 'valid project is required';
  }
  if (ctx.creating || 'issuetype' in fields) {
    const name = (fields.issuetype as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || !ctx.issueTypes.includes(name)) errors.issuetype = 'valid issue type is required';
  }
  const summary = summaryError(fields.summary, ctx.creating || 'summary' in fields);
  if (summary) errors.summary = summary;
  const description = 'description' in fields ? descriptionError(fields.description, ctx.apiVersion) : null;
  if (description) errors.description = description;
  if ('priority' in fields) {
    const name = (fields.priority as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || !JIRA_PRIORITIES.includes(name)) errors.priority = `Priority name '${String(name)}' is not valid`;
  }
  const labels = 'labels' in fields ? labelsError(fields.labels) : null;
  if (labels) errors.labels = labels;
  return { ...(ctx.screen ? screenErrors(fields, ctx.screen, ctx.creating) : {}), ...errors };
}

/** Why a comment body is refused (ADF on v3, a wiki string on v2), or null. */
export function jiraCommentError(body: unknown, apiVersion: 2 | 3): string | null {
  if (apiVersion === 2) return typeof body === 'string' && body.trim() !== '' ? null : 'Comment body can not be empty!';
  if (typeof body === 'string') return DESCRIPTION_NOT_ADF;
  const problem = adfProblem(body);
  return problem ? `INVALID_INPUT: ${problem}` : null;
}

function summaryError(summary: unknown, required: boolean): string | null {
  if (!required) return null;
  if (typeof summary !== 'string' || summary.trim() === '') return 'You must specify a summary of the issue.';
  if (summary.length > 255) return 'Summary must be less than 255 characters.';
  if (/[\r\n]/.test(summary)) return 'The summary is invalid because it contains newline characters.';
  return null;
}

function descriptionError(description: unknown, apiVersion: 2 | 3): string | null {
  if (description === null) return null;
  if (apiVersion === 2) return typeof description === 'string' ? null : 'Operation value must be a string';
  if (typeof description === 'string') return DESCRIPTION_NOT_ADF;
  const problem = adfProblem(description);
  return problem ? `INVALID_INPUT: ${problem}` : null;
}

function labelsError(labels: unknown): string | null {
  if (!Array.isArray(labels)) return 'Operation value must be an array of strings';
  for (const label of labels) {
    if (typeof label !== 'string' || label === '') return 'Operation value must be an array of strings';
    if (/\s/.test(label)) return `The label '${label}' contains spaces which is invalid.`;
    if (label.length > 255) return `The label '${label}' exceeds the maximum length for a single label of 255 characters.`;
  }
  return null;
}
