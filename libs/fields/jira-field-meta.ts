import { z } from 'zod';

/** A field of Jira's create or edit screen, as createmeta / editmeta describe it (specs/jira-rest.md). */
export const jiraFieldMetaSchema = z.object({
  fieldId: z.string(),
  name: z.string(),
  required: z.boolean(),
  hasDefaultValue: z.boolean().optional(),
  schema: z.object({ type: z.string(), items: z.string().optional(), custom: z.string().optional(), system: z.string().optional() }).loose(),
  allowedValues: z.array(z.object({ id: z.string().optional(), value: z.string().optional(), name: z.string().optional() }).loose()).optional(),
}).loose();
export type JiraFieldMeta = z.infer<typeof jiraFieldMetaSchema>;

/** A text field's limit: 255 for a single line, 32,767 for a textarea. */
export const isTextarea = (meta: JiraFieldMeta) => meta.schema.custom?.endsWith(':textarea') === true;
