import { z } from 'zod';
import type { Lifecycle } from '@rhx/fields';
import type { JsonClient, JsonRequest } from '../http/index.js';
import { TicketError } from '../ticket-error.js';

const transitionsSchema = z.object({
  transitions: z.array(z.object({
    id: z.string(),
    name: z.string(),
    to: z.object({ statusCategory: z.object({ key: z.string() }).loose().optional() }).loose(),
    fields: z.record(z.string(), z.object({ required: z.boolean().optional(), allowedValues: z.array(z.object({ name: z.string().optional() }).loose()).optional() }).loose()).optional(),
  }).loose()),
});
type Transition = z.infer<typeof transitionsSchema>['transitions'][number];
const statusSchema = z.object({ fields: z.object({ status: z.object({ statusCategory: z.object({ key: z.string() }).loose().optional() }).loose() }).loose() });

/** What the lifecycle calls need of the adapter: its client, request builder, and the comment body of a note. */
export interface JiraCalls {
  client: JsonClient;
  request(method: JsonRequest['method'], path: string, body?: unknown): JsonRequest;
  commentBody(note: string): unknown;
}

// Names differ per workflow: a configured name wins, else the first transition into the wanted categories.
function pick(transitions: readonly Transition[], categories: readonly string[], name: string | undefined): Transition | undefined {
  if (name) return transitions.find((t) => t.name.toLowerCase() === name.toLowerCase());
  return transitions.find((t) => categories.includes(t.to.statusCategory?.key ?? ''));
}

async function category(calls: JiraCalls, issue: string): Promise<string | undefined> {
  const read = await calls.client.send({ ...calls.request('GET', issue), searchParams: { fields: 'status' } }, statusSchema);
  return read.fields.status.statusCategory?.key;
}

/** Moves the issue into the done category through its workflow, with a resolution when asked and the note as a comment. */
export async function resolveJiraIssue(calls: JiraCalls, remoteId: string, note: string, lifecycle: Lifecycle): Promise<'resolved' | 'already'> {
  const issue = `issue/${encodeURIComponent(remoteId)}`;
  if ((await category(calls, issue)) === 'done') return 'already';
  const { transitions } = await calls.client.send({ ...calls.request('GET', `${issue}/transitions`), searchParams: { expand: 'transitions.fields' } }, transitionsSchema);
  const t = pick(transitions, ['done'], lifecycle.transition);
  if (!t) {
    const wanted = lifecycle.transition ? `named "${lifecycle.transition}"` : 'to a status of the done category';
    throw new TicketError({ code: 'CONFIGURATION', retryable: false, message: `Jira offers no transition ${wanted} from this issue's status (offered: ${transitions.map((x) => x.name).join(', ') || 'none'})` });
  }
  const resolutionField = t.fields?.resolution;
  const resolution = lifecycle.resolution ?? (resolutionField?.required ? (resolutionField.allowedValues?.find((v) => v.name === 'Done') ?? resolutionField.allowedValues?.[0])?.name : undefined);
  const body = { transition: { id: t.id }, ...(resolution ? { fields: { resolution: { name: resolution } } } : {}), update: { comment: [{ add: { body: calls.commentBody(note) } }] } };
  await calls.client.send(calls.request('POST', `${issue}/transitions`, body), z.unknown());
  return 'resolved';
}

/** Moves a done issue back to `new`/`indeterminate` with the note; `'open'` when it is not done. */
export async function reopenJiraIssue(calls: JiraCalls, remoteId: string, note: string): Promise<'reopened' | 'open'> {
  const issue = `issue/${encodeURIComponent(remoteId)}`;
  if ((await category(calls, issue)) !== 'done') return 'open';
  const { transitions } = await calls.client.send(calls.request('GET', `${issue}/transitions`), transitionsSchema);
  const t = pick(transitions, ['new', 'indeterminate'], undefined);
  if (!t) throw new TicketError({ code: 'CONFIGURATION', retryable: false, message: `Jira offers no transition out of the done category for this issue (offered: ${transitions.map((x) => x.name).join(', ') || 'none'})` });
  await calls.client.send(calls.request('POST', `${issue}/transitions`, { transition: { id: t.id }, update: { comment: [{ add: { body: calls.commentBody(note) } }] } }), z.unknown());
  return 'reopened';
}
