import type { SimulatorReply, SimulatorRequest } from './http-simulator.server.js';
import type { NewCase, ProactiveStore, SimulatedProactiveCase } from './proactive-simulator.store.js';

/** What the routes check requests against. */
export interface ProactiveRouteSettings {
  tables: readonly string[];
  serviceIdentifiers: readonly string[];
  /** The provider's web link of a case (`<origin>/case?number=CS…`). */
  caseUrl: (caseNumber: string) => string;
  /** Counts each `GET /cases/{caseNumber}`. */
  onRead: () => void;
}

const TEXT_MAX = 32_000;
const PRIORITIES = new Set(['1', '2', '3', '4']);

/** The provider's error envelope. */
export function proactiveFailure(status: number, code: string, message: string): SimulatorReply {
  return { status, json: { error: { code, message } } };
}

class Refusal {
  constructor(readonly reply: SimulatorReply) {}
}

const invalid = (message: string) => new Refusal(proactiveFailure(400, 'VALIDATION', message));
const tooLong = (field: string, max: number) => new Refusal(proactiveFailure(400, 'FIELD_TOO_LONG', `${field} must be at most ${max} characters`));

/** Section 1–4 routes of specs/proactive-case-api.md; `req.path` is relative to the base URL. */
export function proactiveRoutes(store: ProactiveStore, settings: ProactiveRouteSettings): (req: SimulatorRequest) => SimulatorReply {
  return (req) => {
    try {
      return route(store, settings, req);
    } catch (err) {
      if (err instanceof Refusal) return err.reply;
      throw err;
    }
  };
}

function route(store: ProactiveStore, settings: ProactiveRouteSettings, req: SimulatorRequest): SimulatorReply {
  const match = /^\/cases(?:\/([^/]+)(\/updates)?)?\/?$/.exec(req.path);
  if (!match) return proactiveFailure(404, 'NOT_FOUND', `no resource at ${req.path}`);
  const [, caseNumber, updates] = match;
  if (!caseNumber) {
    if (req.method === 'POST') return createCase(store, settings, req);
    if (req.method === 'GET') return findCases(store, settings, req);
    return proactiveFailure(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here`);
  }
  const found = store.find(decodeURIComponent(caseNumber));
  if (updates) {
    if (req.method !== 'POST') return proactiveFailure(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here`);
    if (!found) return notFound(caseNumber);
    return addUpdate(store, found, req);
  }
  if (req.method !== 'GET') return proactiveFailure(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here`);
  settings.onRead();
  if (!found) return notFound(caseNumber);
  return { status: 200, json: { result: view(settings, found) } };
}

function notFound(caseNumber: string): SimulatorReply {
  return proactiveFailure(404, 'CASE_NOT_FOUND', `case ${decodeURIComponent(caseNumber)} was not found`);
}

function createCase(store: ProactiveStore, settings: ProactiveRouteSettings, req: SimulatorRequest): SimulatorReply {
  const body = jsonObject(req.body);
  const values: NewCase = {
    table: text(body, 'table', 1, 80),
    serviceIdentifier: text(body, 'serviceIdentifier', 1, 100),
    externalId: text(body, 'externalId', 1, 64),
    priority: priority(body, true) as string,
    shortDescription: text(body, 'shortDescription', 1, 160),
    description: optionalText(body, 'description', TEXT_MAX) ?? '',
    category: optionalText(body, 'category', 100) ?? null,
    deepLink: deepLink(body),
  };
  if (!settings.tables.includes(values.table)) {
    return proactiveFailure(400, 'INVALID_TABLE', `table ${values.table} is not available`);
  }
  if (!settings.serviceIdentifiers.includes(values.serviceIdentifier)) {
    return proactiveFailure(400, 'INVALID_SERVICE_IDENTIFIER', 'serviceIdentifier is not available');
  }
  const created = store.create(values);
  const result = { caseNumber: created.caseNumber, sysId: created.sysId, ticketStatus: created.ticketStatus, url: settings.caseUrl(created.caseNumber) };
  return { status: 201, json: { result }, created: true };
}

function findCases(store: ProactiveStore, settings: ProactiveRouteSettings, req: SimulatorRequest): SimulatorReply {
  const externalId = req.query.get('externalId');
  if (!externalId) return proactiveFailure(400, 'VALIDATION', 'externalId is required');
  return { status: 200, json: { result: store.byExternalId(externalId).map((c) => view(settings, c)) } };
}

function addUpdate(store: ProactiveStore, found: SimulatedProactiveCase, req: SimulatorRequest): SimulatorReply {
  const body = jsonObject(req.body);
  const workNote = text(body, 'workNote', 1, TEXT_MAX);
  const level = priority(body, false);
  store.addUpdate(found, { workNote, ...(level ? { priority: level } : {}) });
  // `updated` marks the work note as landed, so updateThenFail can fail the answer after it.
  const result = { caseNumber: found.caseNumber, ticketStatus: found.ticketStatus, updatedAt: found.updatedAt };
  return { status: 200, json: { result }, updated: true };
}

/** Section 3's case object, plus the case's web link. */
function view(settings: ProactiveRouteSettings, c: SimulatedProactiveCase): Record<string, unknown> {
  return {
    caseNumber: c.caseNumber,
    sysId: c.sysId,
    externalId: c.externalId,
    ticketStatus: c.ticketStatus,
    priority: c.priority,
    updatedAt: c.updatedAt,
    resolutionNote: c.resolutionNote,
    url: settings.caseUrl(c.caseNumber),
  };
}

function jsonObject(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid('the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function text(body: Record<string, unknown>, field: string, min: number, max: number): string {
  const value = body[field];
  if (typeof value !== 'string') throw invalid(`${field} is required and must be a string`);
  if (value.length < min) throw invalid(`${field} must be at least ${min} character${min === 1 ? '' : 's'}`);
  if (value.length > max) throw tooLong(field, max);
  return value;
}

function optionalText(body: Record<string, unknown>, field: string, max: number): string | undefined {
  return body[field] === undefined || body[field] === null ? undefined : text(body, field, 0, max);
}

function priority(body: Record<string, unknown>, required: boolean): string | undefined {
  const value = body.priority;
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !PRIORITIES.has(value)) throw invalid('priority must be one of the strings "1", "2", "3", "4"');
  return value;
}

function deepLink(body: Record<string, unknown>): string | null {
  const value = optionalText(body, 'deepLink', 2000);
  if (value === undefined) return null;
  if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) throw invalid('deepLink must be an absolute http or https URL');
  return value;
}
