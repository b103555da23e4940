import { z } from 'zod';

/** An example of a request body or a response; the OpenAPI test checks each against its schema. */
export interface Example {
  summary: string;
  value: unknown;
}

/** One answer a route gives: the error envelope unless `schema` says otherwise. */
export interface ResponseDescription {
  description: string;
  /** The body's shape as the route answers it (zod's output side); none for the error envelope. */
  schema?: z.ZodType;
  examples?: Record<string, Example>;
}

/**
 * One `/v1` route as the OpenAPI document shows it. The schemas are the ones the handler parses with
 * (the route module imports them from here), so the document cannot describe an input the API no longer
 * takes. Every route Fastify registers under `/v1` must have one (test/openapi.int.test.ts).
 */
export interface RouteDescription {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Fastify's path template (`/v1/incidents/:id`); the document writes it `/v1/incidents/{id}`. */
  path: string;
  /** Other paths serving the same operation (registered with the same handler). */
  aliases?: readonly string[];
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; description?: string; examples: Record<string, Example> };
  /** By status. 401 (bearer) is added to every route, 400 to every route that takes input. */
  responses: Record<number, ResponseDescription>;
}

/** Keeps the literal types (the schemas' own types), so a handler parses with `api.x.body.schema` typed. */
export const describeRoute = <const R extends RouteDescription>(route: R): R => route;

/** The error envelope of every failure (api-error.ts): `{error: {code, message, details?}}`. */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable, machine-readable: INVALID_INPUT, INCIDENT_NOT_FOUND, TICKET_EXISTS, …'),
      message: z.string().describe('One sentence for a person; never a secret or a stack trace.'),
      details: z.unknown().optional().describe('For INVALID_INPUT: every problem, each `{path, message}` with its JSON path.'),
    }),
  })
  .describe('Every error answer, whatever its status.');

/** An error answer with one example, `{error: {code, message}}`. */
export function errorResponse(description: string, code: string, message: string, details?: unknown): ResponseDescription {
  const error = details === undefined ? { code, message } : { code, message, details };
  return { description, examples: { [code]: { summary: message, value: { error } } } };
}

export const incidentNotFound = errorResponse('No incident has this id.', 'INCIDENT_NOT_FOUND', 'incident INC-2026-0099 is not known');

/** The OpenAPI form of a Fastify path template: `:id` → `{id}`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
