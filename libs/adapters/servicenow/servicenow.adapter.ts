import type { FollowedTicket } from '@rhx/tickets';
import type { Lifecycle } from '@rhx/fields';
import { riskLevelOf, type Incident } from '@rhx/domain';
import type { CreateRequest, FieldCheck, FieldUpdate, TicketAdapter, TicketReference, UpdatePresence } from '../ticket-adapter.js';
import { ruleContext } from '../rule-context.js';
import { ServiceNowFieldRules } from './servicenow.field-rules.js';
import { TicketError } from '../ticket-error.js';
import type { AdapterOptions } from '../adapter-options.js';
import { checkedIncidentId } from '../incident-id.js';
import { checkedUpdateMarker } from '../update-marker.js';
import { JsonClient, type JsonRequest } from '../http/index.js';
import { serviceNowAccess, type ServiceNowAccess } from './servicenow.access.js';
import { remoteHttp } from '../remote-http.js';
import { SNOW_OWNED_COLUMNS, type ServiceNowConfig } from './servicenow.config.js';
import { serviceNowResponseError, serviceNowTransportError } from './servicenow.errors.js';
import {
  isWorkNoteWithMarker,
  serviceNowCorrelationId,
  serviceNowCreateBody,
  serviceNowFindQuery,
  serviceNowPriorityLabel,
  serviceNowReference,
  serviceNowStatus,
  serviceNowUpdateBody,
  serviceNowWorkNoteQuery,
  type ServiceNowTicketReference,
  type ServiceNowTicketStatus,
} from './servicenow.mapper.js';
import {
  serviceNowAnyListSchema,
  serviceNowAnyRecordSchema,
  serviceNowCreatedResultSchema,
  serviceNowGroupListSchema,
  serviceNowIncidentListSchema,
  serviceNowJournalListSchema,
  serviceNowRecordResultSchema,
} from './servicenow.schemas.js';

const INCIDENT_FIELDS = 'sys_id,number,state,priority,correlation_id';
// The columns that let a found journal row be checked (see isWorkNoteWithMarker).
const JOURNAL_FIELDS = 'sys_id,element_id,element,value';

/**
 * ServiceNow Table API on the `incident` table. The assignment group's sys_id is looked up once
 * per adapter instance (a failed look-up is not cached); nothing is retried here.
 */
export class ServiceNowAdapter implements TicketAdapter {
  get lifecycle(): Lifecycle {
    return this.config.lifecycle;
  }

  readonly system = 'servicenow' as const;
  private readonly client: JsonClient;
  private readonly access: ServiceNowAccess;
  private readonly table: string;
  private groupSysId: string | undefined;
  private readonly rules: ServiceNowFieldRules;
  private readonly updateRules: ServiceNowFieldRules;

  constructor(
    private readonly config: ServiceNowConfig,
    private readonly options: AdapterOptions,
  ) {
    this.table = `${config.instanceUrl}/api/now/table`;
    const http = remoteHttp(options, { system: 'ServiceNow', targetSystem: this.system, classify: serviceNowResponseError, classifyTransport: serviceNowTransportError });
    this.access = serviceNowAccess(config, options, http);
    this.client = new JsonClient({ ...http, headers: { accept: 'application/json' }, auth: this.access.auth, secrets: this.access.secrets });
    this.rules = new ServiceNowFieldRules(this.client, (table, params) => this.get(table, params), config.fields);
    this.updateRules = new ServiceNowFieldRules(this.client, (table, params) => this.get(table, params), config.fields.filter((r) => r.onUpdate));
  }

  /** The field rules against the instance's dictionary and choices, where the integration user may read them. */
  checkFields(): Promise<FieldCheck> {
    // The bridge fills these itself (`category` is `security` unless a rule says otherwise).
    return this.rules.check([...SNOW_OWNED_COLUMNS, 'category', 'number', 'sys_id', ...(this.config.assignmentGroup ? ['assignment_group'] : [])]);
  }

  async testConnection(): Promise<{ message: string }> {
    const { auth, tokens } = this.access;
    // OAuth: a token fetched now, so a refused client is named as such rather than as a 401 from the table.
    await tokens?.fetchNew();
    await this.client.send(this.get('incident', { sysparm_limit: '1', sysparm_fields: 'sys_id' }), serviceNowAnyListSchema);
    // A wrong group name would otherwise surface only at the first push.
    const group = this.config.assignmentGroup ? `; assignment group ${this.config.assignmentGroup} found` : '';
    if (this.config.assignmentGroup) await this.assignmentGroupSysId();
    const who = this.config.auth === 'oauth2-client-credentials' ? `OAuth client ${this.config.clientId}` : this.config.username;
    const how = tokens ? `${auth.method}: the token endpoint answered` : auth.method;
    return { message: `Connected to ServiceNow as ${who} (${how}); the incident table is readable${group}` };
  }

  async prepareCreate(incident: Incident, generation = 1, followsUp?: FollowedTicket): Promise<CreateRequest> {
    const assignmentGroupSysId = await this.assignmentGroupSysId();
    const body = serviceNowCreateBody(incident, {
      generation,
      ...(followsUp ? { followsUp } : {}),
      ...(assignmentGroupSysId ? { assignmentGroupSysId } : {}),
      ...(this.options.deepLinkBaseUrl ? { deepLinkBaseUrl: this.options.deepLinkBaseUrl } : {}),
    });
    const priority = serviceNowPriorityLabel(riskLevelOf(incident));
    if (this.config.fields.length > 0) Object.assign(body, await this.rules.columns(ruleContext(incident, priority, this.options.deepLinkBaseUrl)), pick({ ...body }, OWN));
    return {
      system: 'servicenow',
      incidentId: incident.id,
      summary: body.short_description,
      description: body.description,
      priority,
      body: { ...body },
    };
  }

  async createTicket(request: CreateRequest): Promise<ServiceNowTicketReference> {
    if (request.system !== 'servicenow') throw wrongSystem(request.system);
    const post: JsonRequest = { method: 'POST', url: `${this.table}/incident`, body: JSON.stringify(request.body) };
    const created = await this.client.send(post, serviceNowCreatedResultSchema);
    return serviceNowReference(this.config.instanceUrl, created.result);
  }

  async findExisting(incidentId: string, generation = 1): Promise<ServiceNowTicketReference | null> {
    const id = checkedIncidentId(incidentId);
    const query = { sysparm_query: serviceNowFindQuery(id, generation), sysparm_fields: INCIDENT_FIELDS, sysparm_limit: '1' };
    const found = await this.client.send(this.get('incident', query), serviceNowIncidentListSchema);
    // The platform silently drops a query term it does not understand and then returns any record.
    const record = found.result.find((r) => r.correlation_id === serviceNowCorrelationId(id, generation));
    return record ? serviceNowReference(this.config.instanceUrl, record) : null;
  }

  async addUpdate(ref: TicketReference, note: string, level?: Incident['risk']['level']): Promise<void> {
    const body = JSON.stringify(serviceNowUpdateBody(note, level));
    await this.client.send({ method: 'PATCH', url: this.recordUrl(ref), body }, serviceNowAnyRecordSchema);
  }

  /**
   * The `onUpdate` rules' columns set again on an update: read the record's current values (raw, as the
   * rules write them: a reference is a sys_id) and PATCH only the columns that differ. `assigned_to` is
   * set only while the record has none (an assignee someone chose stays).
   */
  get updateFields(): ((ref: TicketReference, incident: Incident) => Promise<FieldUpdate>) | undefined {
    return this.config.fields.some((r) => r.onUpdate) ? (ref, incident) => this.setFieldsAgain(ref, incident) : undefined;
  }

  private async setFieldsAgain(ref: TicketReference, incident: Incident): Promise<FieldUpdate> {
    const columns = await this.updateRules.columns(ruleContext(incident, serviceNowPriorityLabel(riskLevelOf(incident)), this.options.deepLinkBaseUrl));
    const names = Object.keys(columns);
    if (names.length === 0) return { set: [], skipped: [] };
    const read = await this.client.send({ method: 'GET', url: this.recordUrl(ref), searchParams: { sysparm_fields: names.join(','), sysparm_exclude_reference_link: 'true' } }, serviceNowAnyRecordSchema);
    const current = read.result as Record<string, unknown>;
    const skipped: FieldUpdate['skipped'] = [];
    const changed: Record<string, string> = {};
    for (const [column, value] of Object.entries(columns)) {
      // A reference may still read back as {link, value} (assignment_group on some instances).
      const read = current[column];
      const now = read !== null && typeof read === 'object' ? (read as { value?: unknown }).value : read;
      if (String(now ?? '') === value) continue;
      if (column === 'assigned_to' && now) skipped.push({ field: column, reason: 'assigned by hand; left as it is' });
      else changed[column] = value;
    }
    if (Object.keys(changed).length > 0) await this.client.send({ method: 'PATCH', url: this.recordUrl(ref), body: JSON.stringify(changed) }, serviceNowAnyRecordSchema);
    return { set: Object.keys(changed), skipped };
  }

  /** State 6 with the configured close code (default `Solution provided`) and notes (default: the note). */
  async resolve(ref: TicketReference, note: string): Promise<'resolved' | 'already'> {
    const { state } = await this.readStatus(ref);
    if (['6', '7', '8'].includes(state)) return 'already';
    const { closeCode = 'Solution provided', closeNotes = note } = this.config.lifecycle;
    const body = JSON.stringify({ state: '6', close_code: closeCode, close_notes: closeNotes, work_notes: note });
    await this.client.send({ method: 'PATCH', url: this.recordUrl(ref), body }, serviceNowAnyRecordSchema);
    return 'resolved';
  }

  /** A Resolved (6) incident back to In Progress (2) with the note; Closed (7) is read-only for good. */
  async reopen(ref: TicketReference, note: string): Promise<'reopened' | 'open' | 'read-only'> {
    const { state } = await this.readStatus(ref);
    if (state === '7' || state === '8') return 'read-only';
    if (state !== '6') return 'open';
    await this.client.send({ method: 'PATCH', url: this.recordUrl(ref), body: JSON.stringify({ state: '2', work_notes: note }) }, serviceNowAnyRecordSchema);
    return 'reopened';
  }

  /** From the `sys_journal_field` table; `'unknown'` when the integration user may not read it (403). */
  async findUpdate(ref: TicketReference, marker: string): Promise<UpdatePresence> {
    const wanted = checkedUpdateMarker(marker);
    const query = { sysparm_query: serviceNowWorkNoteQuery(ref.remoteId, wanted), sysparm_fields: JOURNAL_FIELDS, sysparm_limit: '1' };
    try {
      const found = await this.client.send(this.get('sys_journal_field', query), serviceNowJournalListSchema);
      return found.result.some((row) => isWorkNoteWithMarker(row, ref.remoteId, wanted)) ? 'found' : 'absent';
    } catch (error) {
      // Read access to sys_journal_field is often not granted to integration users: no way to check.
      if (error instanceof TicketError && error.httpStatus === 403) return 'unknown';
      throw error;
    }
  }

  async readStatus(ref: TicketReference): Promise<ServiceNowTicketStatus> {
    const request = { method: 'GET' as const, url: this.recordUrl(ref), searchParams: { sysparm_fields: INCIDENT_FIELDS } };
    const found = await this.client.send(request, serviceNowRecordResultSchema);
    return serviceNowStatus(found.result);
  }

  private async assignmentGroupSysId(): Promise<string | undefined> {
    const name = this.config.assignmentGroup;
    if (!name || this.groupSysId) return this.groupSysId;
    // `^` separates encoded-query terms; `^^` is a literal caret.
    const query = { sysparm_query: `name=${name.replaceAll('^', '^^')}`, sysparm_fields: 'sys_id,name', sysparm_limit: '1' };
    const found = await this.client.send(this.get('sys_user_group', query), serviceNowGroupListSchema);
    const group = found.result.find((g) => g.name === name);
    if (!group) {
      throw new TicketError({
        code: 'CONFIGURATION',
        retryable: false,
        message: `ServiceNow assignment group "${name}" was not found (sys_user_group)`,
      });
    }
    this.groupSysId = group.sys_id;
    return group.sys_id;
  }

  private get(table: string, searchParams: Record<string, string>): JsonRequest {
    return { method: 'GET', url: `${this.table}/${table}`, searchParams };
  }

  private recordUrl(ref: TicketReference): string {
    return `${this.table}/incident/${encodeURIComponent(ref.remoteId)}`;
  }
}

// The bridge's own columns win over any rule (the rules' schema refuses them; this keeps a stored old rule from overriding).
const OWN = ['short_description', 'description', 'impact', 'urgency', 'correlation_id', 'correlation_display'];
const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

function wrongSystem(system: string): TicketError {
  return new TicketError({ code: 'CONFIGURATION', retryable: false, message: `a ${system} create request was given to the ServiceNow adapter` });
}
