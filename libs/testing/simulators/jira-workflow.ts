import type { SimulatorReply, SimulatorRequest } from './http-simulator.server.js';
import type { JiraStatusCategory, SimulatedJiraIssue } from './jira-simulator.store.js';

/** One transition of the simulated workflow (specs/jira-rest.md, "Transitions"). */
export interface JiraTransition {
  id: string;
  name: string;
  /** The categories it may be taken from. */
  from: readonly JiraStatusCategory[];
  to: { name: string; category: JiraStatusCategory };
  /** Whether it asks for a resolution (the usual "Done" screen). */
  requiresResolution?: boolean;
}

/** A security workflow: To Do → In Progress → Done (with a resolution), and Reopen from Done. Names differ per site. */
export const DEFAULT_WORKFLOW: readonly JiraTransition[] = [
  { id: '21', name: 'Start Progress', from: ['new'], to: { name: 'In Progress', category: 'indeterminate' } },
  { id: '31', name: 'Done', from: ['new', 'indeterminate'], to: { name: 'Done', category: 'done' }, requiresResolution: true },
  { id: '41', name: 'Reopen', from: ['done'], to: { name: 'To Do', category: 'new' } },
];
export const RESOLUTIONS = ['Done', "Won't Do", 'Duplicate', 'False Positive'];

const CATEGORY_NAMES: Record<JiraStatusCategory, string> = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };

/** `GET issue/{key}/transitions`: only those open from the issue's current status, with their fields when asked. */
export function listTransitions(issue: SimulatedJiraIssue, workflow: readonly JiraTransition[], req: SimulatorRequest): SimulatorReply {
  const withFields = (req.query.get('expand') ?? '').includes('transitions.fields');
  const open = workflow.filter((t) => t.from.includes(issue.status.category));
  return {
    status: 200,
    json: {
      transitions: open.map((t) => ({
        id: t.id,
        name: t.name,
        hasScreen: Boolean(t.requiresResolution),
        to: { id: t.id, name: t.to.name, statusCategory: { key: t.to.category, name: CATEGORY_NAMES[t.to.category] } },
        ...(withFields ? { fields: t.requiresResolution ? { resolution: { required: true, name: 'Resolution', allowedValues: RESOLUTIONS.map((name, i) => ({ id: String(10000 + i), name })) } } : {} } : {}),
      })),
    },
  };
}

/**
 * `POST issue/{key}/transitions {transition: {id}, fields?, update?: {comment: [{add: {body}}]}}` → 204:
 * moves the issue, sets the resolution, adds the comment. A transition not open from the status, or a
 * required resolution left out or unknown, is a 400 and changes nothing.
 */
export function takeTransition(
  issue: SimulatedJiraIssue,
  workflow: readonly JiraTransition[],
  body: unknown,
  addComment: (body: unknown) => string | null,
): SimulatorReply {
  const b = (body ?? {}) as { transition?: { id?: unknown }; fields?: { resolution?: { name?: unknown } }; update?: { comment?: { add?: { body?: unknown } }[] } };
  const t = workflow.find((w) => w.id === String(b.transition?.id ?? ''));
  const fail = (messages: string[], errors: Record<string, string> = {}) => ({ status: 400, json: { errorMessages: messages, errors } });
  if (!t || !t.from.includes(issue.status.category)) return fail([`Transition id '${String(b.transition?.id)}' is not valid for this issue.`]);
  const resolution = b.fields?.resolution?.name;
  if (t.requiresResolution && resolution === undefined) return fail([], { resolution: 'Resolution is required.' });
  if (resolution !== undefined && !RESOLUTIONS.includes(String(resolution))) return fail([], { resolution: `Resolution '${String(resolution)}' is not valid` });
  for (const c of b.update?.comment ?? []) {
    const problem = addComment(c.add?.body);
    if (problem) return fail([], { comment: problem });
  }
  issue.status = { name: t.to.name, category: t.to.category };
  issue.fields.resolution = t.to.category === 'done' ? { name: String(resolution ?? 'Done') } : null;
  return { status: 204 };
}
