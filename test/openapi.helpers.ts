import { Ajv2020 } from 'ajv/dist/2020.js';
import type { z } from 'zod';
import type { RegisteredRoute } from '../apps/api/src/openapi/docs.plugin.js';
import type { OpenApiDocument } from '../apps/api/src/openapi/openapi-document.js';
import { openApiPath } from '../apps/api/src/openapi/route-description.js';

type Operation = {
  operationId: string;
  parameters: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: object; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, { content: Record<string, { schema: object; examples?: Record<string, { value: unknown }> }> }>;
};

/** Every operation of the document as `METHOD /path/{param}`, with the operation. */
export function documentedOperations(document: OpenApiDocument): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) out.set(`${method.toUpperCase()} ${path}`, operation as Operation);
  }
  return out;
}

/** The `/v1` routes Fastify registered (HEAD is Fastify's own twin of each GET), as `METHOD /path/{param}`. */
export function registeredV1Routes(routes: readonly RegisteredRoute[]): string[] {
  return [...new Set(routes.filter((r) => r.url.startsWith('/v1/') && r.method !== 'HEAD').map((r) => `${r.method} ${openApiPath(r.url)}`))].sort();
}

/** Routes registered under `/v1` that the document does not describe. */
export function undescribedRoutes(routes: readonly RegisteredRoute[], document: OpenApiDocument): string[] {
  const described = documentedOperations(document);
  return registeredV1Routes(routes).filter((route) => !described.has(route));
}

/**
 * Validates against a schema of the document, as an OpenAPI 3.1 client would: JSON Schema 2020-12, its
 * `$ref`s resolved against the document's components. Formats are not checked (zod writes a pattern beside each).
 */
export function jsonSchemaValidator(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  return (schema: object, value: unknown): string[] => {
    const validate = ajv.compile({ ...schema, components: document.components });
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '$'} ${e.message ?? ''}`);
  };
}

/** The zod issues of `value` against `schema`, as `path: message` lines (empty when it validates). */
export function zodProblems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '$'}: ${i.message}`);
}
