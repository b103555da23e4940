import { z } from 'zod';
import { alreadyHas, buildJiraFields, jiraFieldMetaSchema, type FieldRule, type JiraFieldMeta, type TemplateContext } from '@rhx/fields';
import type { FieldUpdate } from '../ticket-adapter.js';
import type { JiraCalls } from './jira.lifecycle.js';
import { TicketError } from '../ticket-error.js';

const editMetaSchema = z.object({ fields: z.record(z.string(), jiraFieldMetaSchema.omit({ fieldId: true }).extend({ fieldId: z.string().optional() }).loose()) });
const currentSchema = z.object({ fields: z.record(z.string(), z.unknown()) });

/**
 * The `onUpdate` rules set again on an update (specs/jira-rest.md, "what an edit may set"): shaped by the
 * issue's edit metadata (not the create screen: they differ), compared with the issue's current values,
 * and only what differs sent in one edit. Labels are only added (the dedup label is never touched); an
 * assignee is set only while the issue has none (one someone set by hand stays). A rule for a field the edit
 * screen lacks, or that cannot be shaped, is skipped and reported, never failing the update.
 */
export async function updateJiraFields(
  calls: JiraCalls, remoteId: string, rules: readonly FieldRule[], context: TemplateContext, deployment: 'cloud' | 'server',
): Promise<FieldUpdate> {
  const issue = `issue/${encodeURIComponent(remoteId)}`;
  const meta = await calls.client.send(calls.request('GET', `${issue}/editmeta`), editMetaSchema);
  const screen = new Map<string, JiraFieldMeta>(Object.entries(meta.fields).map(([id, m]) => [id, { ...m, fieldId: id }]));
  const skipped: FieldUpdate['skipped'] = rules.filter((r) => !screen.has(r.field)).map((r) => ({ field: r.field, reason: 'not on the edit screen' }));
  const editable = rules.filter((r) => screen.has(r.field));
  if (editable.length === 0) return { set: [], skipped };
  const built = buildJiraFields(editable, context, screen, deployment);
  skipped.push(...built.problems.map((p) => ({ field: p.field, reason: p.message })));
  const read = await calls.client.send({ ...calls.request('GET', issue), searchParams: { fields: editable.map((r) => r.field).join(',') } }, currentSchema);
  const current = read.fields;
  const fields: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(built.fields)) {
    if (alreadyHas(current[id], value)) continue;
    if (id === 'assignee' && current.assignee) skipped.push({ field: id, reason: 'assigned by hand; left as it is' });
    else fields[id] = value;
  }
  const present = Array.isArray(current.labels) ? current.labels : [];
  const labels = [...new Set(built.labels)].filter((l) => !present.includes(l));
  if (Object.keys(fields).length === 0 && labels.length === 0) return { set: [], skipped };
  const body = { ...(Object.keys(fields).length ? { fields } : {}), ...(labels.length ? { update: { labels: labels.map((add) => ({ add })) } } : {}) };
  try {
    await calls.client.send(calls.request('PUT', issue, body), z.unknown());
  } catch (err) {
    // Refused as a whole (a value the edit screen does not allow after all): the update itself still goes.
    if (!(err instanceof TicketError) || err.httpStatus !== 400) throw err;
    return { set: [], skipped: [...skipped, ...Object.keys(body.fields ?? {}).concat(labels.length ? ['labels'] : []).map((field) => ({ field, reason: err.message }))] };
  }
  return { set: [...Object.keys(fields), ...(labels.length ? ['labels'] : [])], skipped };
}
