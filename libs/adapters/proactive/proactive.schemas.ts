import { z } from 'zod';

// Every answer is `{result: …}` (or `{error: …}`); a proxy or a wrong base URL can answer 200 with an
// HTML page, so the envelope is checked on every call. Case objects are loose: the provider may add fields.

/** A case as section 3 (read) and section 4 (find) describe it. */
export const proactiveCaseSchema = z.object({
  caseNumber: z.string().min(1),
  sysId: z.string().nullish(),
  externalId: z.string().nullish(),
  ticketStatus: z.string().min(1),
  priority: z.string().nullish(),
  updatedAt: z.string().nullish(),
  resolutionNote: z.string().nullish(),
  /** Not documented for read and find; used when given (the create answer always has it). */
  url: z.string().nullish(),
});
export type ProactiveCase = z.infer<typeof proactiveCaseSchema>;

/** `POST /cases` → `201 {result: {caseNumber, sysId, ticketStatus, url}}`. */
export const proactiveCreatedSchema = z.object({
  result: z.object({
    caseNumber: z.string().min(1),
    sysId: z.string().nullish(),
    ticketStatus: z.string().min(1),
    url: z.url({ protocol: /^https?$/ }),
  }),
});
export type ProactiveCreated = z.infer<typeof proactiveCreatedSchema>['result'];

/** `POST /cases/{caseNumber}/updates` → `{result: {caseNumber, ticketStatus, updatedAt}}`. */
export const proactiveUpdatedSchema = z.object({
  result: z.object({ caseNumber: z.string().min(1), ticketStatus: z.string().min(1) }),
});

/** `GET /cases/{caseNumber}`. */
export const proactiveCaseResultSchema = z.object({ result: proactiveCaseSchema });

/** `GET /cases?externalId=…` → newest first. */
export const proactiveCaseListSchema = z.object({ result: z.array(proactiveCaseSchema) });

/** The error envelope: `{error: {code, message}}`. */
export const proactiveErrorEnvelopeSchema = z.object({
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }),
});
