import { dataPolicyRefusal, instanceTable, lifecycleRefusal, type ServiceNowInstanceOptions } from './servicenow-instance.js';
import type { SimulatorReply, SimulatorRequest } from './http-simulator.server.js';
import { orderRecords, parseEncodedQuery, queryMatches } from './encoded-query.parser.js';
import { INCIDENT_FIELDS, JOURNAL_FIELDS, ServiceNowStore, type SimulatedServiceNowIncident } from './servicenow-simulator.store.js';

/** What the routes need besides the incident table. */
export interface ServiceNowRouteSettings {
  /** `sys_user_group` rows: name → sys_id. */
  groups: Readonly<Record<string, string>>;
  baseUrl: () => string;
  /** Whether the integration user may read `sys_journal_field` (asked per request; false answers 403). */
  journalReadable: () => boolean;
  /** The instance's customisation: columns, data policy, choices, users, dictionary access. */
  instance: ServiceNowInstanceOptions;
}

interface Ctx {
  store: ServiceNowStore;
  settings: ServiceNowRouteSettings;
}

const GROUP_FIELDS: ReadonlySet<string> = new Set(['sys_id', 'name']);

/** ServiceNow's error envelope. */
export function failure(status: number, message: string, detail: string | null = null): SimulatorReply {
  return { status, json: { error: { message, detail }, status: 'failure' } };
}

/** Table API routes for `incident`, `sys_user_group` and (read-only) `sys_journal_field`; `req.path` is the whole pathname. */
export function serviceNowRoutes(store: ServiceNowStore, settings: ServiceNowRouteSettings): (req: SimulatorRequest) => SimulatorReply {
  const ctx: Ctx = { store, settings };
  return (req) => {
    const match = /^\/api\/now\/table\/([^/]+)(?:\/([^/]+))?$/.exec(req.path);
    if (!match) return failure(400, 'Requested URI does not represent any resource');
    const [, table = '', sysId] = match;
    if (table === 'sys_user_group' && req.method === 'GET' && !sysId) return listGroups(ctx, req);
    const other = req.method === 'GET' && !sysId ? instanceTable(table, req, ctx.store.columns(), settings.instance) : null;
    if (other) return other;
    if (table === 'sys_journal_field') return req.method === 'GET' && !sysId ? listJournal(ctx, req) : failure(405, 'Method not Supported');
    if (table !== 'incident') return failure(400, `Invalid table ${table}`);
    if (!sysId) {
      if (req.method === 'GET') return listIncidents(ctx, req);
      if (req.method === 'POST') return createIncident(ctx, req);
      return failure(405, 'Method not Supported');
    }
    const record = store.find(sysId);
    if (!record) return failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
    if (req.method === 'GET') return { status: 200, json: { result: view(ctx, record, req.query.get('sysparm_fields')) } };
    if (req.method === 'PATCH' || req.method === 'PUT') return updateIncident(ctx, req, record);
    return failure(405, 'Method not Supported');
  };
}

function createIncident(ctx: Ctx, req: SimulatorRequest): SimulatorReply {
  const values = stringValues(req.body);
  if (!values) return failure(400, 'Exception while reading request', 'The payload is not valid JSON.');
  const refusal = dataPolicyRefusal(values, ctx.settings.instance);
  if (refusal) return refusal;
  const record = ctx.store.create(values);
  return { status: 201, json: { result: view(ctx, record, req.query.get('sysparm_fields')) }, created: true };
}

function updateIncident(ctx: Ctx, req: SimulatorRequest, record: SimulatedServiceNowIncident): SimulatorReply {
  const values = stringValues(req.body);
  if (!values) return failure(400, 'Exception while reading request', 'The payload is not valid JSON.');
  const refusal = lifecycleRefusal(record, values);
  if (refusal) return refusal;
  ctx.store.update(record, values);
  // `updated` marks the work note as landed, so updateThenFail can fail the answer after it.
  return { status: 200, json: { result: view(ctx, record, req.query.get('sysparm_fields')) }, updated: true };
}

function listIncidents(ctx: Ctx, req: SimulatorRequest): SimulatorReply {
  const query = parseEncodedQuery(req.query.get('sysparm_query') ?? '', INCIDENT_FIELDS);
  const matching = ctx.store.records.filter((r) => queryMatches(query.terms, flat(r)));
  // Records created in the same second tie on sys_created_on; newest-first must still put the latest first.
  const input = query.orderBy[0]?.desc ? [...matching].reverse() : matching;
  const ordered = orderRecords(input.map(flat), query.orderBy).map((f) => ctx.store.find(f.sys_id ?? '') as SimulatedServiceNowIncident);
  const page = paginate(ordered, req.query);
  return { status: 200, json: { result: page.map((r) => view(ctx, r, req.query.get('sysparm_fields'))) } };
}

function listGroups(ctx: Ctx, req: SimulatorRequest): SimulatorReply {
  const rows = Object.entries(ctx.settings.groups).map(([name, sysId]) => ({ sys_id: sysId, name }));
  const query = parseEncodedQuery(req.query.get('sysparm_query') ?? '', GROUP_FIELDS);
  const page = paginate(rows.filter((r) => queryMatches(query.terms, r)), req.query);
  return { status: 200, json: { result: page.map((r) => selectFields(r, req.query.get('sysparm_fields'))) } };
}

// The query is parsed as for any table (element_id, element, valueLIKE…; an unknown term is dropped).
function listJournal(ctx: Ctx, req: SimulatorRequest): SimulatorReply {
  if (!ctx.settings.journalReadable()) return failure(403, 'Operation Failed', 'ACL Exception Read Failed due to security constraints');
  const query = parseEncodedQuery(req.query.get('sysparm_query') ?? '', JOURNAL_FIELDS);
  const rows: Record<string, string>[] = ctx.store.journal.map((entry) => ({ ...entry }));
  const matching = orderRecords(rows.filter((r) => queryMatches(query.terms, r)), query.orderBy);
  return { status: 200, json: { result: paginate(matching, req.query).map((r) => selectFields(r, req.query.get('sysparm_fields'))) } };
}

function paginate<T>(rows: readonly T[], query: URLSearchParams): T[] {
  const offset = Number(query.get('sysparm_offset') ?? 0) || 0;
  const limit = Number(query.get('sysparm_limit') ?? 10_000) || 10_000;
  return rows.slice(offset, offset + limit);
}

/** The record's own string fields (the journal excluded; work_notes reads back as ''). */
function flat(record: SimulatedServiceNowIncident): Record<string, string> {
  const { workNotes: _journal, columns, ...fields } = record;
  return { ...columns, ...fields, work_notes: '' };
}

function view(ctx: Ctx, record: SimulatedServiceNowIncident, fields: string | null): Record<string, unknown> {
  const out: Record<string, unknown> = flat(record);
  if (record.assignment_group !== '') {
    const value = record.assignment_group;
    out.assignment_group = { link: `${ctx.settings.baseUrl()}/api/now/table/sys_user_group/${value}`, value };
  }
  return selectFields(out, fields);
}

function selectFields<T extends Record<string, unknown>>(row: T, fields: string | null): Partial<T> {
  if (!fields) return row;
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  return Object.fromEntries(Object.entries(row).filter(([name]) => wanted.has(name))) as Partial<T>;
}

/** The body's scalar values as strings (the platform stores text); null when the body is not a JSON object. */
function stringValues(body: string): Record<string, string> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (['string', 'number', 'boolean'].includes(typeof value)) values[key] = String(value);
  }
  return values;
}
