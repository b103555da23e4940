import type { FollowedTicket } from '@rhx/tickets';
import type { Lifecycle } from '@rhx/fields';
import { z } from 'zod';
import { riskLevelOf, type Incident } from '@rhx/domain';
import { adfToText } from '@rhx/tickets';
import { buildJiraFields, checkJiraRules } from '@rhx/fields';
import type { CreateRequest, FieldCheck, FieldUpdate, TicketAdapter, TicketReference, TicketStatus, UpdatePresence } from '../ticket-adapter.js';
import { ruleContext } from '../rule-context.js';
import { JiraCreateScreen } from './jira.create-meta.js';
import { reopenJiraIssue, resolveJiraIssue, type JiraCalls } from './jira.lifecycle.js';
import { updateJiraFields } from './jira.update-fields.js';
import { TicketError } from '../ticket-error.js';
import type { AdapterOptions } from '../adapter-options.js';
import { checkedIncidentId } from '../incident-id.js';
import { checkedUpdateMarker } from '../update-marker.js';
import { JsonClient, type JsonRequest } from '../http/index.js';
import { jiraAccess, type JiraAccess } from './jira.access.js';
import { remoteHttp } from '../remote-http.js';
import { JIRA_OWNED_FIELDS, type JiraConfig } from './jira.config.js';
import { jiraResponseError, jiraTransportError } from './jira.errors.js';
import {
  jiraCreateBody,
  type JiraCreateBody,
  jiraCommentHasMarker,
  jiraIncidentLabel,
  jiraPriorityName,
  jiraReference,
  jiraSearchBody,
  jiraStatus,
  noteToAdf,
  noteToWiki,
} from './jira.mapper.js';
import {
  jiraCommentPageV2Schema,
  jiraCommentPageV3Schema,
  jiraCreatedIssueSchema,
  jiraIssueStatusSchema,
  jiraMyselfSchema,
  jiraProjectSchema,
  jiraSearchSchema,
  type JiraAdfNode,
} from './jira.schemas.js';

// The create fields the bridge fills itself (or Jira defaults): a required one needs no rule.
const JIRA_SET_BY_BRIDGE = [...JIRA_OWNED_FIELDS, 'labels', 'reporter'];

/** How many of the newest comments `findUpdate` reads (one page). */
const NEWEST_COMMENTS = 50;

/**
 * Jira Cloud (REST v3, ADF) and Server / Data Center (REST v2, wiki markup). One HTTP call per
 * step, never retried here; later calls use the issue id (`remoteId`), which survives a move.
 */
export class JiraAdapter implements TicketAdapter {
  get lifecycle(): Lifecycle {
    return this.config.lifecycle;
  }

  readonly system = 'jira' as const;
  private readonly client: JsonClient;
  private readonly access: JiraAccess;
  private readonly screen: JiraCreateScreen;

  constructor(
    private readonly config: JiraConfig,
    private readonly options: AdapterOptions,
  ) {
    const http = remoteHttp(options, {
      system: config.deployment === 'cloud' ? 'Jira Cloud' : 'Jira', targetSystem: this.system, classify: jiraResponseError, classifyTransport: jiraTransportError,
    });
    this.access = jiraAccess(config, options, http);
    this.client = new JsonClient({ ...http, headers: { accept: 'application/json' }, auth: this.access.auth, base: this.access.base, secrets: this.access.secrets });
    const get = (path: string, searchParams: Record<string, string>) => ({ ...this.request('GET', path), searchParams });
    this.screen = new JiraCreateScreen(this.client, get, config.projectKey, config.issueType);
  }

  /** The field rules against the create screen: required fields without a rule, fields not there, values not allowed. */
  async checkFields(): Promise<FieldCheck> {
    return { problems: checkJiraRules(this.config.fields, await this.screen.fields(), JIRA_SET_BY_BRIDGE) };
  }

  async testConnection(): Promise<{ message: string }> {
    const { auth, route, tokens } = this.access;
    // OAuth: a token fetched now, so a refused client is named as such rather than as a 401 from the API.
    await tokens?.fetchNew();
    const me = await this.client.send(this.request('GET', 'myself'), jiraMyselfSchema);
    const project = await this.client
      .send(this.request('GET', `project/${encodeURIComponent(this.config.projectKey)}`), jiraProjectSchema)
      .catch((error: unknown) => {
        if (!(error instanceof TicketError) || error.httpStatus !== 404) throw error;
        throw new TicketError({
          code: 'NOT_FOUND',
          retryable: false,
          httpStatus: 404,
          message: `Jira project ${this.config.projectKey} not found or not visible to this account`,
        });
      });
    const who = me.displayName ?? me.name ?? 'the configured account';
    const how = tokens ? `${auth.method}: the token endpoint answered; calls go through ${route}` : `${auth.method}${route === 'the site' ? '' : `, through ${route}`}`;
    return { message: `Connected to Jira as ${who} (${how}); project ${project.key}${project.name ? ` (${project.name})` : ''} is visible` };
  }

  async prepareCreate(incident: Incident, generation = 1, followsUp?: FollowedTicket): Promise<CreateRequest> {
    const render = { ...(this.options.deepLinkBaseUrl ? { deepLinkBaseUrl: this.options.deepLinkBaseUrl } : {}), ...(followsUp ? { followsUp } : {}) };
    const body = jiraCreateBody(incident, this.config, render, generation);
    if (this.config.fields.length > 0) await this.applyRules(body, incident);
    const { description } = body.fields;
    return {
      system: 'jira',
      incidentId: incident.id,
      summary: body.fields.summary,
      description: typeof description === 'string' ? description : adfToText(description),
      priority: body.fields.priority.name,
      body: { ...body },
    };
  }

  // The rules' fields, shaped by the create screen; their labels join ours (the dedup label stays).
  private async applyRules(body: JiraCreateBody, incident: Incident): Promise<void> {
    const context = ruleContext(incident, body.fields.priority.name, this.options.deepLinkBaseUrl);
    const screen = new Map((await this.screen.fields()).map((m) => [m.fieldId, m]));
    const built = buildJiraFields(this.config.fields, context, screen, this.config.deployment);
    if (built.problems.length > 0) {
      throw new TicketError({ code: 'CONFIGURATION', retryable: false, message: `Jira field rules cannot be applied: ${built.problems.map((p) => p.message).join('; ')}` });
    }
    Object.assign(body.fields, built.fields, { labels: [...new Set([...body.fields.labels, ...built.labels])] });
  }

  async createTicket(request: CreateRequest): Promise<TicketReference> {
    if (request.system !== 'jira') throw wrongSystem(request.system);
    const created = await this.client.send(this.request('POST', 'issue', request.body), jiraCreatedIssueSchema);
    return jiraReference(this.config.baseUrl, created);
  }

  async findExisting(incidentId: string, generation = 1): Promise<TicketReference | null> {
    const id = checkedIncidentId(incidentId);
    const path = this.config.deployment === 'cloud' ? 'search/jql' : 'search';
    const body = jiraSearchBody(this.config.deployment, this.config.projectKey, id, generation);
    const found = await this.client.send(this.request('POST', path, body), jiraSearchSchema);
    // Trust only an issue that carries the label: a JQL the server half-understood must not adopt another ticket.
    const issue = found.issues.find((i) => i.fields?.labels?.includes(jiraIncidentLabel(id, generation)));
    return issue ? jiraReference(this.config.baseUrl, issue) : null;
  }

  async addUpdate(ref: TicketReference, note: string, level?: Incident['risk']['level']): Promise<void> {
    const issue = `issue/${encodeURIComponent(ref.remoteId)}`;
    // The idempotent priority change goes first, so a retry after a failed comment never changes it twice.
    if (level) {
      const fields = { fields: { priority: { name: jiraPriorityName(level) } } };
      await this.client.send(this.request('PUT', issue, fields), z.unknown());
    }
    const body = this.config.deployment === 'cloud' ? noteToAdf(note) : noteToWiki(note);
    await this.client.send(this.request('POST', `${issue}/comment`, { body }), z.unknown());
  }

  /** Only when some rule has `onUpdate`: an update without one makes no extra call. */
  get updateFields(): ((ref: TicketReference, incident: Incident) => Promise<FieldUpdate>) | undefined {
    return this.config.fields.some((r) => r.onUpdate) ? (ref, incident) => this.setFieldsAgain(ref, incident) : undefined;
  }

  private async setFieldsAgain(ref: TicketReference, incident: Incident): Promise<FieldUpdate> {
    const rules = this.config.fields.filter((r) => r.onUpdate);
    const context = ruleContext(incident, jiraPriorityName(riskLevelOf(incident)), this.options.deepLinkBaseUrl);
    return updateJiraFields(this.lifecycleCalls(), ref.remoteId, rules, context, this.config.deployment);
  }

  resolve(ref: TicketReference, note: string): Promise<'resolved' | 'already'> {
    return resolveJiraIssue(this.lifecycleCalls(), ref.remoteId, note, this.config.lifecycle);
  }

  reopen(ref: TicketReference, note: string): Promise<'reopened' | 'open'> {
    return reopenJiraIssue(this.lifecycleCalls(), ref.remoteId, note);
  }

  private lifecycleCalls(): JiraCalls {
    const commentBody = (note: string) => (this.config.deployment === 'cloud' ? noteToAdf(note) : noteToWiki(note));
    return { client: this.client, request: (m, p, b) => this.request(m, p, b), commentBody };
  }

  async findUpdate(ref: TicketReference, marker: string): Promise<UpdatePresence> {
    const wanted = checkedUpdateMarker(marker);
    // Only the newest page is read: an update being checked was sent moments ago, so it is among the
    // newest 50 comments unless 50 others were added since. A direct read of the issue, not the search index.
    const searchParams = { orderBy: '-created', maxResults: String(NEWEST_COMMENTS) };
    const request = { ...this.request('GET', `issue/${encodeURIComponent(ref.remoteId)}/comment`), searchParams };
    const page =
      this.config.deployment === 'cloud'
        ? await this.client.send(request, jiraCommentPageV3Schema)
        : await this.client.send(request, jiraCommentPageV2Schema);
    const comments: { body: JiraAdfNode | string }[] = page.comments;
    return comments.some((c) => jiraCommentHasMarker(c.body, wanted)) ? 'found' : 'absent';
  }

  async readStatus(ref: TicketReference): Promise<TicketStatus> {
    const request = { ...this.request('GET', `issue/${encodeURIComponent(ref.remoteId)}`), searchParams: { fields: 'status' } };
    const issue = await this.client.send(request, jiraIssueStatusSchema);
    return jiraStatus(issue.fields.status);
  }

  private request(method: JsonRequest['method'], path: string, body?: unknown): JsonRequest {
    const url = path;
    return body === undefined ? { method, url } : { method, url, body: JSON.stringify(body) };
  }
}

function wrongSystem(system: string): TicketError {
  return new TicketError({ code: 'CONFIGURATION', retryable: false, message: `a ${system} create request was given to the Jira adapter` });
}
