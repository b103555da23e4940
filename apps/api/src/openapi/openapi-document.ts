import { z } from 'zod';
import { incidentSchema } from '@rhx/domain';
import { apiErrorSchema, openApiPath, type Example, type ResponseDescription, type RouteDescription } from './route-description.js';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

/**
 * Schemas shown once under `components.schemas` and referenced wherever a route uses that very schema
 * object: the error envelope, and the incident (the largest body, taken by two ways in).
 */
const COMPONENTS: readonly { name: string; schema: z.ZodType; io: Io }[] = [
  { name: 'ApiError', schema: apiErrorSchema, io: 'output' },
  { name: 'Incident', schema: incidentSchema, io: 'input' },
];

/** JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) of `schema` as a request (`input`) or a response (`output`). */
function inlineSchema(schema: z.ZodType, io: Io): JsonSchema {
  // `any` for the parts JSON Schema cannot say (a transform's output); OpenAPI 3.1 needs no `$schema` per schema.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** {@link inlineSchema}, or a reference when `schema` is one of the components. */
function jsonSchema(schema: z.ZodType, io: Io): JsonSchema {
  const component = COMPONENTS.find((c) => c.schema === schema);
  return component ? { $ref: `#/components/schemas/${component.name}` } : inlineSchema(schema, io);
}

/** Path or query parameters, one per property of the route's zod object. */
function parameters(schema: z.ZodObject, where: 'path' | 'query') {
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const examplesOf = (examples: Record<string, Example> | undefined) => (examples && Object.keys(examples).length > 0 ? { examples } : {});

function response({ description, schema, examples }: ResponseDescription) {
  return { description, content: { 'application/json': { schema: jsonSchema(schema ?? apiErrorSchema, 'output'), ...examplesOf(examples) } } };
}

const unauthorized: ResponseDescription = {
  description: 'No bearer token, or not the API_TOKEN.',
  examples: { UNAUTHORIZED: { summary: 'No token', value: { error: { code: 'UNAUTHORIZED', message: 'missing or invalid bearer token' } } } },
};
const invalidInput: ResponseDescription = {
  description: 'A path parameter, query parameter or the body is invalid; `details` lists every problem with its JSON path.',
  examples: { INVALID_INPUT: { summary: 'A field is wrong', value: { error: { code: 'INVALID_INPUT', message: 'path is invalid: id: must be 1–64 characters of A-Z a-z 0-9 . _ : -', details: [{ path: 'id', message: 'must be 1–64 characters of A-Z a-z 0-9 . _ : -' }] } } } },
};

/** Every answer of the route: its own, plus the 401 every `/v1` route can give and the 400 of any route that takes input. */
function responsesOf(route: RouteDescription): Record<number, ResponseDescription> {
  const common: Record<number, ResponseDescription> = { 401: unauthorized };
  if (route.params ?? route.query ?? route.body) common[400] = invalidInput;
  return { ...common, ...route.responses };
}

function operation(route: RouteDescription, operationId: string) {
  return {
    operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    parameters: [...(route.params ? parameters(route.params, 'path') : []), ...(route.query ? parameters(route.query, 'query') : [])],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            ...(route.body.description ? { description: route.body.description } : {}),
            content: { 'application/json': { schema: jsonSchema(route.body.schema, 'input'), ...examplesOf(route.body.examples) } },
          },
        }
      : {}),
    responses: Object.fromEntries(Object.entries(responsesOf(route)).map(([status, r]) => [status, response(r)])),
  };
}

/** Every path the route answers on, with its operation id (an alias's is suffixed, ids being unique). */
export function routePaths(route: RouteDescription): { path: string; operationId: string }[] {
  const aliases = route.aliases ?? [];
  return [{ path: route.path, operationId: route.operationId }, ...aliases.map((path, i) => ({ path, operationId: `${route.operationId}Alias${i + 1}` }))];
}

/**
 * The OpenAPI 3.1 document of the `/v1` API, generated from the routes' own zod schemas.
 * @throws Error when two routes claim the same method and path.
 */
export function buildOpenApiDocument(routes: readonly RouteDescription[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    for (const { path, operationId } of routePaths(route)) {
      const item = (paths[openApiPath(path)] ??= {});
      const method = route.method.toLowerCase();
      if (item[method]) throw new Error(`${route.method} ${path} is described twice`);
      item[method] = operation(route, operationId);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'RhythmX ticketing bridge API',
      version: '1',
      description:
        'Incidents from the RhythmX SIEM become tickets in Jira, ServiceNow or the Proactive Case API, exactly once, with retries and status sync back. ' +
        'Every `/v1` route needs `Authorization: Bearer <API_TOKEN>` (none when the API runs without API_TOKEN, in development). ' +
        'Every error is `{error: {code, message, details?}}`.',
    },
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'The API_TOKEN the API was started with.' } },
      schemas: Object.fromEntries(COMPONENTS.map((c) => [c.name, inlineSchema(c.schema, c.io)])),
    },
  };
}
export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
