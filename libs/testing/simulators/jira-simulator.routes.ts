import { DEFAULT_WORKFLOW, listTransitions, takeTransition, type JiraTransition } from './jira-workflow.js';
import type { JiraFieldMeta } from '@rhx/fields';
import { BUILT_IN_FIELDS, createMeta } from './jira-screen.js';
import type { SimulatorReply, SimulatorRequest } from './http-simulator.server.js';
import { commentView, listComments, type JiraCommentContext } from './jira-simulator.comments.js';
import { jiraCommentError, jiraFieldErrors, type JiraValidationContext } from './jira-fields.validator.js';
import { JiraStore, type SimulatedJiraIssue } from './jira-simulator.store.js';
import { jqlMatches, parseJql } from './jql.parser.js';

/** What the routes need to know about the simulated site. */
export interface JiraRouteSettings {
  apiVersion: 2 | 3;
  projects: readonly string[];
  issueTypes: readonly string[];
  indexLagMs: number;
  /** The workflow's transitions (default: To Do → In Progress → Done with a resolution, Reopen). */
  workflow?: readonly JiraTransition[];
  /** The project's own create-screen fields beside the built-in ones (createmeta answers both). */
  screen?: readonly JiraFieldMeta[];
  /** The edit screen's fields (editmeta), when it differs from the create screen's plus the editable built-ins. */
  editScreen?: readonly JiraFieldMeta[];
  /** The site's base URL, for `self` links. */
  baseUrl: () => string;
}

interface Ctx {
  store: JiraStore;
  settings: JiraRouteSettings;
  validation: JiraValidationContext;
}

type Handler = (ctx: Ctx, req: SimulatorRequest, param: string) => SimulatorReply;

const ROUTES: [method: string, pattern: RegExp, handler: Handler][] = [
  ['GET', /^\/issue\/createmeta\/([^/]+)\/issuetypes$/, (ctx, req, key) => meta(ctx, req, key, undefined)],
  ['GET', /^\/issue\/createmeta\/([^/]+\/issuetypes\/[^/]+)$/, (ctx, req, both) => meta(ctx, req, both.split('/')[0]!, both.split('/')[2])],
  ['GET', /^\/myself$/, myself],
  ['GET', /^\/project\/([^/]+)$/, project],
  ['POST', /^\/issue$/, createIssue],
  ['GET', /^\/issue\/([^/]+)$/, (ctx, req, id) => withIssue(ctx, id, (issue) => getIssue(ctx, req, issue))],
  ['PUT', /^\/issue\/([^/]+)$/, (ctx, req, id) => withIssue(ctx, id, (issue) => editIssue(ctx, req, issue))],
  ['GET', /^\/issue\/([^/]+)\/editmeta$/, (ctx, _req, id) => withIssue(ctx, id, () => ({ status: 200, json: { fields: Object.fromEntries(editScreen(ctx).map((m) => [m.fieldId, { ...m, key: m.fieldId, operations: ['set'] }])) } }))],
  ['POST', /^\/issue\/([^/]+)\/comment$/, (ctx, req, id) => withIssue(ctx, id, (issue) => addComment(ctx, req, issue))],
  ['GET', /^\/issue\/([^/]+)\/transitions$/, (ctx, req, id) => withIssue(ctx, id, (issue) => listTransitions(issue, ctx.settings.workflow ?? DEFAULT_WORKFLOW, req))],
  ['POST', /^\/issue\/([^/]+)\/transitions$/, (ctx, req, id) => withIssue(ctx, id, (issue) => transition(ctx, req, issue))],
  ['GET', /^\/issue\/([^/]+)\/comment$/, (ctx, req, id) => withIssue(ctx, id, (issue) => listComments(comments(ctx), req, issue))],
  ['*', /^\/search\/jql$/, (ctx, req) => (ctx.settings.apiVersion === 3 ? search(ctx, req) : errorReply(404, [`null for uri: ${req.path}`]))],
  ['*', /^\/search$/, (ctx, req) =>
    ctx.settings.apiVersion === 2 ? search(ctx, req) : errorReply(410, ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.'])],
];

/** Jira's error envelope. */
export function errorReply(status: number, errorMessages: string[], errors: Record<string, string> = {}): SimulatorReply {
  return { status, json: { errorMessages, errors } };
}

/** The REST routes of one API version; `req.path` is relative to `/rest/api/<version>`. */
export function jiraRoutes(store: JiraStore, settings: JiraRouteSettings): (req: SimulatorRequest) => SimulatorReply {
  const { apiVersion, projects, issueTypes } = settings;
  const ctx: Ctx = { store, settings, validation: { apiVersion, projects, issueTypes, creating: true, ...(settings.screen ? { screen: settings.screen } : {}) } };
  return (req) => {
    for (const [method, pattern, handler] of ROUTES) {
      const match = pattern.exec(req.path);
      if (match && (method === '*' || method === req.method)) return handler(ctx, req, decodeURIComponent(match[1] ?? ''));
    }
    return errorReply(404, [`null for uri: ${req.path}`]);
  };
}

function meta(ctx: Ctx, req: SimulatorRequest, key: string, typeId: string | undefined): SimulatorReply {
  if (!ctx.settings.projects.includes(key)) return errorReply(404, [`No project could be found with key '${key}'.`]);
  return createMeta(req, ctx.settings.apiVersion, ctx.settings.issueTypes, [...BUILT_IN_FIELDS, ...(ctx.settings.screen ?? [])], typeId);
}

function myself(): SimulatorReply {
  return { status: 200, json: { accountId: '5b10ac8d82e05b22cc7d4ef5', name: 'rhythmx', displayName: 'RhythmX Integration', active: true } };
}

function project(ctx: Ctx, _req: SimulatorRequest, key: string): SimulatorReply {
  const index = ctx.settings.projects.indexOf(key);
  if (index < 0) return errorReply(404, [`No project could be found with key '${key}'.`]);
  return { status: 200, json: { id: String(10000 + index), key, name: `${key} project` } };
}

function createIssue(ctx: Ctx, req: SimulatorRequest): SimulatorReply {
  const fields = fieldsOf(req);
  if ('reply' in fields) return fields.reply;
  const errors = jiraFieldErrors(fields.value, ctx.validation);
  if (Object.keys(errors).length > 0) return errorReply(400, [], errors);
  const issue = ctx.store.create(fields.value);
  return { status: 201, json: { id: issue.id, key: issue.key, self: self(ctx, issue) }, created: true };
}

function getIssue(ctx: Ctx, req: SimulatorRequest, issue: SimulatedJiraIssue): SimulatorReply {
  const fields = pick(issue, req.query.get('fields') ?? '*all');
  return { status: 200, json: { id: issue.id, key: issue.key, self: self(ctx, issue), fields } };
}

/** What an edit may set (editmeta): the configured edit screen, or the create screen plus the editable built-ins. */
function editScreen(ctx: Ctx): readonly JiraFieldMeta[] {
  return ctx.settings.editScreen ?? [...(ctx.settings.screen ?? []), ...BUILT_IN_FIELDS.filter((m) => EDITABLE_BUILT_INS.includes(m.fieldId))];
}
const EDITABLE_BUILT_INS = ['summary', 'description', 'priority', 'labels', 'assignee'];

/**
 * `PUT issue/{key}` `{fields?, update?: {labels: [{add}|{remove}]}}` → 204. Only fields on the edit screen
 * (editmeta) may be set; anything else is Jira's "cannot be set" 400, and nothing changes.
 */
function editIssue(ctx: Ctx, req: SimulatorRequest, issue: SimulatedJiraIssue): SimulatorReply {
  const body = jsonOf(req) as { fields?: Record<string, unknown>; update?: { labels?: { add?: string; remove?: string }[] } } | undefined;
  if (body === undefined) return errorReply(400, ['Unexpected character: the request body is not JSON']);
  if (body.fields === undefined && body.update === undefined) return errorReply(400, ['Issue must have fields']);
  const fields = body.fields ?? {};
  const screen = editScreen(ctx);
  const errors = jiraFieldErrors(fields, { ...ctx.validation, creating: false, screen });
  for (const name of [...Object.keys(fields), ...Object.keys(body.update ?? {})]) {
    if (!screen.some((m) => m.fieldId === name)) errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
  }
  if (Object.keys(errors).length > 0) return errorReply(400, [], errors);
  Object.assign(issue.fields, structuredClone(fields));
  for (const op of body.update?.labels ?? []) {
    const labels = labelsOf(issue).filter((l) => l !== op.remove);
    issue.fields.labels = op.add && !labels.includes(op.add) ? [...labels, op.add] : labels;
  }
  return { status: 204 };
}

function addComment(ctx: Ctx, req: SimulatorRequest, issue: SimulatedJiraIssue): SimulatorReply {
  const body = jsonOf(req) as { body?: unknown } | undefined;
  if (body === undefined) return errorReply(400, ['Unexpected character: the request body is not JSON']);
  const problem = jiraCommentError(body.body, ctx.settings.apiVersion);
  if (problem) return errorReply(400, [], { comment: problem });
  const comment = ctx.store.comment(issue, body.body);
  // `updated` marks the note as landed, so updateThenFail can fail the answer after it.
  return { status: 201, json: commentView(comments(ctx), issue, comment), updated: true };
}

function transition(ctx: Ctx, req: SimulatorRequest, issue: SimulatedJiraIssue): SimulatorReply {
  const body = jsonOf(req);
  if (body === undefined) return errorReply(400, ['Unexpected character: the request body is not JSON']);
  // A comment with the transition is checked before anything moves, then added only once it is taken.
  const added: unknown[] = [];
  const reply = takeTransition(issue, ctx.settings.workflow ?? DEFAULT_WORKFLOW, body, (commentBody) => {
    const problem = jiraCommentError(commentBody, ctx.settings.apiVersion);
    if (!problem) added.push(commentBody);
    return problem;
  });
  if (reply.status === 204) for (const c of added) ctx.store.comment(issue, c);
  return reply.status === 204 ? { ...reply, updated: true } : reply;
}

function comments(ctx: Ctx): JiraCommentContext {
  return { apiBase: `${ctx.settings.baseUrl()}/rest/api/${ctx.settings.apiVersion}`, errorReply };
}

function search(ctx: Ctx, req: SimulatorRequest): SimulatorReply {
  const params = searchParams(req);
  if ('error' in params) return errorReply(400, [params.error]);
  const parsed = parseJql(params.jql);
  if ('error' in parsed) return errorReply(400, [parsed.error]);
  const hits = ctx.store.searchable(ctx.settings.indexLagMs).filter((i) => jqlMatches(parsed.clauses, { ...i, labels: labelsOf(i) }));
  const issues = hits
    .slice(0, params.maxResults)
    .map((i) => ({ id: i.id, key: i.key, self: self(ctx, i), fields: pick(i, params.fields) }));
  if (ctx.settings.apiVersion === 3) return { status: 200, json: { issues, isLast: hits.length <= params.maxResults } };
  return { status: 200, json: { startAt: 0, maxResults: params.maxResults, total: hits.length, issues } };
}

function withIssue(ctx: Ctx, idOrKey: string, then: (issue: SimulatedJiraIssue) => SimulatorReply): SimulatorReply {
  const issue = ctx.store.find(idOrKey);
  return issue ? then(issue) : errorReply(404, ['Issue does not exist or you do not have permission to see it.']);
}

function self(ctx: Ctx, issue: SimulatedJiraIssue): string {
  return `${ctx.settings.baseUrl()}/rest/api/${ctx.settings.apiVersion}/issue/${issue.id}`;
}

function jsonOf(req: SimulatorRequest): unknown {
  try {
    return JSON.parse(req.body) as unknown;
  } catch {
    return undefined;
  }
}

function fieldsOf(req: SimulatorRequest): { value: Record<string, unknown> } | { reply: SimulatorReply } {
  const body = jsonOf(req) as { fields?: unknown } | undefined;
  if (body === undefined) return { reply: errorReply(400, ['Unexpected character: the request body is not JSON']) };
  if (typeof body.fields !== 'object' || body.fields === null) return { reply: errorReply(400, ['Issue must have fields']) };
  return { value: body.fields as Record<string, unknown> };
}

function searchParams(req: SimulatorRequest): { jql: string; fields: string; maxResults: number } | { error: string } {
  const body = req.method === 'GET' ? Object.fromEntries(req.query) : (jsonOf(req) as Record<string, unknown> | undefined);
  if (!body || typeof body.jql !== 'string') return { error: 'The JQL query is missing.' };
  const fields = Array.isArray(body.fields) ? body.fields.join(',') : typeof body.fields === 'string' ? body.fields : 'id';
  const max = Number(body.maxResults ?? 50);
  return { jql: body.jql, fields, maxResults: Number.isInteger(max) && max >= 0 ? max : 50 };
}

function labelsOf(issue: SimulatedJiraIssue): string[] {
  return Array.isArray(issue.fields.labels) ? (issue.fields.labels as string[]) : [];
}

function pick(issue: SimulatedJiraIssue, fields: string): Record<string, unknown> {
  const all: Record<string, unknown> = { ...issue.fields, status: JiraStore.statusField(issue) };
  const wanted = fields.split(',').map((f) => f.trim());
  if (wanted.includes('*all')) return all;
  return Object.fromEntries(Object.entries(all).filter(([name]) => wanted.includes(name)));
}
