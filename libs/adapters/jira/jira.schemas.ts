import { z } from 'zod';

// Remote shapes, checked so that a changed vendor answer fails loudly as UNEXPECTED_RESPONSE.
// Objects are loose: Jira adds fields freely, only the ones read here are required.

/** `POST issue` → 201. */
export const jiraCreatedIssueSchema = z.object({ id: z.string().min(1), key: z.string().min(1) });

/** `GET myself`: Cloud names an accountId, Server a name; both carry a displayName. */
export const jiraMyselfSchema = z.object({ displayName: z.string().optional(), name: z.string().optional() });

/** `GET project/{key}`. */
export const jiraProjectSchema = z.object({ id: z.string(), key: z.string(), name: z.string().optional() });

const statusSchema = z.object({
  name: z.string(),
  statusCategory: z.object({ key: z.string() }),
});

/** `GET issue/{id}?fields=status`. */
export const jiraIssueStatusSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.object({ status: statusSchema }),
});

/** `POST search/jql` (Cloud) and `POST search` (Server): issues with the fields asked for. */
export const jiraSearchSchema = z.object({
  issues: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      fields: z.object({ labels: z.array(z.string()).optional() }).optional(),
    }),
  ),
});

/** An ADF node as read back: only `type`, `text` and `content` are looked at; Jira adds attrs and marks freely. */
export interface JiraAdfNode {
  type: string;
  text?: string | undefined;
  content?: JiraAdfNode[] | undefined;
}

const adfNodeSchema: z.ZodType<JiraAdfNode> = z.lazy(() =>
  z.object({ type: z.string(), text: z.string().optional(), content: z.array(adfNodeSchema).optional() }),
);

const commentPage = <B extends z.ZodType>(body: B) =>
  z.object({
    comments: z.array(z.object({ id: z.string(), body, created: z.string().optional() })),
    startAt: z.number().optional(),
    maxResults: z.number().optional(),
    total: z.number().optional(),
  });

/** `GET issue/{id}/comment` on Cloud (v3): bodies are ADF documents. */
export const jiraCommentPageV3Schema = commentPage(adfNodeSchema);

/** `GET issue/{id}/comment` on Server / Data Center (v2): bodies are wiki-markup strings. */
export const jiraCommentPageV2Schema = commentPage(z.string());

/**
 * Jira's error envelope: `{errorMessages: [...], errors: {field: message}}`. Only these two fields
 * are ever quoted; any other field (a proxy's or another server's `message`) is not Jira's words.
 */
export const jiraErrorEnvelopeSchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.unknown()).optional(),
});
