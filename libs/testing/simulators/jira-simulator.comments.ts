import type { SimulatorReply, SimulatorRequest } from './http-simulator.server.js';
import type { SimulatedJiraComment, SimulatedJiraIssue } from './jira-simulator.store.js';

/** Where the comment routes build `self` links from, and how they answer an error. */
export interface JiraCommentContext {
  /** `<base>/rest/api/<version>`. */
  apiBase: string;
  errorReply: (status: number, errorMessages: string[]) => SimulatorReply;
}

// Jira's documented default page size for comments, and the orderings it accepts.
const DEFAULT_MAX_RESULTS = 5000;
const ORDERINGS: Readonly<Record<string, 'asc' | 'desc'>> = { created: 'asc', '+created': 'asc', '-created': 'desc' };

/**
 * `GET issue/{key}/comment?orderBy=&startAt=&maxResults=`: a direct read of the issue (never behind
 * the search index), oldest first unless `orderBy=-created`; a bad parameter is a 400.
 */
export function listComments(ctx: JiraCommentContext, req: SimulatorRequest, issue: SimulatedJiraIssue): SimulatorReply {
  const orderBy = req.query.get('orderBy') ?? 'created';
  const order = ORDERINGS[orderBy];
  if (!order) return ctx.errorReply(400, [`Invalid orderBy value '${orderBy}': only created, +created and -created are supported.`]);
  const startAt = whole(req.query.get('startAt'), 0);
  const maxResults = whole(req.query.get('maxResults'), DEFAULT_MAX_RESULTS);
  if (startAt === undefined) return ctx.errorReply(400, ["The 'startAt' parameter must be a whole number."]);
  if (maxResults === undefined) return ctx.errorReply(400, ["The 'maxResults' parameter must be a whole number."]);
  const ascending = [...issue.comments].sort((a, b) => a.createdAt - b.createdAt || Number(a.id) - Number(b.id));
  const ordered = order === 'desc' ? ascending.reverse() : ascending;
  const comments = ordered.slice(startAt, startAt + maxResults).map((c) => commentView(ctx, issue, c));
  return { status: 200, json: { comments, startAt, maxResults, total: issue.comments.length } };
}

/** A comment as Jira shows it (the `POST` answer and a list entry): the body exactly as stored. */
export function commentView(ctx: JiraCommentContext, issue: SimulatedJiraIssue, comment: SimulatedJiraComment): Record<string, unknown> {
  const created = jiraTimestamp(comment.createdAt);
  return { self: `${ctx.apiBase}/issue/${issue.id}/comment/${comment.id}`, id: comment.id, body: structuredClone(comment.body), created, updated: created };
}

function whole(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/** Jira's timestamp form: `2026-11-27T10:02:11.000+0000`. */
function jiraTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
