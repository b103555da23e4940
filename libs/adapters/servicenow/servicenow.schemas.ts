import { z } from 'zod';

// Every Table API answer is `{result: …}`; a wrong instance can answer 200 with an HTML page, so the
// envelope is checked on every call. Every value is a string; records are loose (instances add fields).

/** The incident fields the adapter reads back. */
export const serviceNowIncidentSchema = z.object({
  sys_id: z.string().min(1),
  number: z.string().min(1),
  state: z.string(),
  priority: z.string().optional(),
  correlation_id: z.string().optional(),
});
export type ServiceNowIncident = z.infer<typeof serviceNowIncidentSchema>;

/** `POST incident`, `PATCH incident/{sys_id}`, `GET incident/{sys_id}` → one record. */
export const serviceNowRecordResultSchema = z.object({ result: serviceNowIncidentSchema });

/** Create answers must say the priority the instance computed. */
export const serviceNowCreatedResultSchema = z.object({
  result: serviceNowIncidentSchema.extend({ priority: z.string() }),
});

/** `GET incident?sysparm_query=…` → a list (empty when none). */
export const serviceNowIncidentListSchema = z.object({ result: z.array(serviceNowIncidentSchema) });

/** `GET incident?sysparm_limit=1&sysparm_fields=sys_id` (test connection). */
export const serviceNowAnyListSchema = z.object({ result: z.array(z.record(z.string(), z.unknown())) });

/** `GET sys_user_group?sysparm_query=name=…`. */
export const serviceNowGroupListSchema = z.object({
  result: z.array(z.object({ sys_id: z.string().min(1), name: z.string() })),
});

/** An update answer: only the envelope matters. */
export const serviceNowAnyRecordSchema = z.object({ result: z.record(z.string(), z.unknown()) });

/** `GET sys_journal_field?sysparm_query=element_id=…^element=work_notes^valueLIKE…`: journal entries. */
export const serviceNowJournalListSchema = z.object({
  result: z.array(z.object({ sys_id: z.string().min(1), element_id: z.string(), element: z.string(), value: z.string() })),
});

/** ServiceNow's error envelope: `{error: {message, detail}, status: 'failure'}`. */
export const serviceNowErrorEnvelopeSchema = z.object({
  error: z.object({ message: z.string().nullish(), detail: z.string().nullish() }),
});
