import { describe, expect, test } from '@jest/globals';
import Fastify from 'fastify';
import { incidentSchema } from '@rhx/domain';
import { API_ROUTES } from '../apps/api/src/openapi/api-routes.js';
import { registerDocs, registeredRoutes } from '../apps/api/src/openapi/docs.plugin.js';
import { minimalIncident, reconIncident } from '../apps/api/src/openapi/incident.examples.js';
import { buildOpenApiDocument, routePaths } from '../apps/api/src/openapi/openapi-document.js';
import { apiErrorSchema, openApiPath } from '../apps/api/src/openapi/route-description.js';
import { invalidFixtureNames, readFixture, readRaw } from './harness.js';
import { documentedOperations, jsonSchemaValidator, undescribedRoutes, zodProblems } from './openapi.helpers.js';

const document = buildOpenApiDocument(API_ROUTES);
const operations = documentedOperations(document);
const validate = jsonSchemaValidator(document);

describe('the OpenAPI document', () => {
  test('is OpenAPI 3.1 in shape, with bearer auth and the error envelope as components', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    expect(document.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.components.schemas.ApiError).toMatchObject({ type: 'object', required: ['error'] });
    for (const operation of operations.values()) {
      expect(operation.responses['401']!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/ApiError' });
    }
  });

  test('every operation id is unique and every path parameter is declared', () => {
    const ids = [...operations.values()].map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [key, operation] of operations) {
      const inPath = [...key.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect([key, operation.parameters.filter((p) => p.in === 'path').map((p) => p.name)]).toEqual([key, inPath]);
    }
  });

  test('every route that takes a body has at least one example of it', () => {
    const without = API_ROUTES.filter((r) => r.body && Object.keys(r.body.examples).length === 0).map((r) => r.operationId);
    expect(without).toEqual([]);
  });

  test('two routes on one method and path are refused', () => {
    expect(() => buildOpenApiDocument([...API_ROUTES, API_ROUTES[0]!])).toThrow(/described twice/);
  });
});

describe('every example validates', () => {
  const bodyExamples = API_ROUTES.flatMap((route) =>
    Object.entries(route.body?.examples ?? {}).map(([name, example]) => [`${route.operationId} body ${name}`, route, example.value] as const),
  );
  test.each(bodyExamples)('%s: against its zod schema and the document', (_name, route, value) => {
    expect(zodProblems(route.body!.schema, value)).toEqual([]);
    const operation = operations.get(`${route.method} ${openApiPath(route.path)}`)!;
    expect(validate(operation.requestBody!.content['application/json']!.schema, value)).toEqual([]);
  });

  const responseExamples = API_ROUTES.flatMap((route) =>
    Object.entries(route.responses).flatMap(([status, response]) =>
      Object.entries(response.examples ?? {}).map(([name, example]) => [`${route.operationId} ${status} ${name}`, route, status, response.schema ?? apiErrorSchema, example.value] as const),
    ),
  );
  test.each(responseExamples)('%s: against its zod schema and the document', (_name, route, status, schema, value) => {
    expect(zodProblems(schema, value)).toEqual([]);
    for (const { path } of routePaths(route)) {
      const operation = operations.get(`${route.method} ${openApiPath(path)}`)!;
      expect(validate(operation.responses[status]!.content['application/json']!.schema, value)).toEqual([]);
    }
  });

  test('the common 400 and 401 examples validate too', () => {
    for (const [key, operation] of operations) {
      for (const status of ['400', '401'].filter((s) => operation.responses[s])) {
        for (const example of Object.values(operation.responses[status]!.content['application/json']!.examples ?? {})) {
          expect([key, status, zodProblems(apiErrorSchema, example.value)]).toEqual([key, status, []]);
        }
      }
    }
  });

  test('the incident examples are the shared fixtures, unchanged', () => {
    expect(minimalIncident).toEqual(readFixture('low-minimal.json'));
    expect(reconIncident).toEqual(readFixture('medium-recon.json'));
  });

  test('an invalid incident fails both checks (the checks can fail)', () => {
    const bad = readFixture('invalid/score-out-of-range.json');
    expect(zodProblems(incidentSchema, bad)).not.toEqual([]);
    expect(validate({ $ref: '#/components/schemas/Incident' }, bad)).not.toEqual([]);
    for (const name of invalidFixtureNames().filter((n) => n !== 'not-json.json')) {
      expect([name, zodProblems(incidentSchema, JSON.parse(readRaw(`invalid/${name}`)))]).not.toEqual([name, []]);
    }
  });
});

describe('the route check', () => {
  test('names a /v1 route registered without a description, and only that one', async () => {
    const app = Fastify();
    await registerDocs(app);
    app.get('/v1/incidents/:id', async () => ({}));
    app.post('/v1/incidents/:id/escalate', async () => ({}));
    app.get('/healthz', async () => ({}));
    await app.ready();
    expect(undescribedRoutes(registeredRoutes(app), document)).toEqual(['POST /v1/incidents/{id}/escalate']);
    await app.close();
  });
});
