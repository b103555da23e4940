import type { FollowedTicket } from '@rhx/tickets';
import type { Lifecycle } from '@rhx/fields';
import { riskLevelOf, type Incident } from '@rhx/domain';
import type { CreateRequest, TicketAdapter, TicketReference, UpdatePresence } from '../ticket-adapter.js';
import { TicketError } from '../ticket-error.js';
import type { AdapterOptions } from '../adapter-options.js';
import { checkedIncidentId } from '../incident-id.js';
import { checkedUpdateMarker } from '../update-marker.js';
import { basicCredentials, JsonClient, type JsonRequest } from '../http/index.js';
import { remoteHttp } from '../remote-http.js';
import type { ProactiveConfig } from './proactive.config.js';
import { proactiveResponseError, proactiveTransportError } from './proactive.errors.js';
import {
  proactiveCreateBody,
  proactiveExternalId,
  proactiveFindQuery,
  proactivePriorityLabel,
  proactiveReference,
  proactiveStatus,
  proactiveUpdateBody,
  type ProactiveTicketStatus,
} from './proactive.mapper.js';
import { proactiveCaseListSchema, proactiveCaseResultSchema, proactiveCreatedSchema, proactiveUpdatedSchema } from './proactive.schemas.js';

/** How messages name the remote. */
export const PROACTIVE_DISPLAY_NAME = 'Proactive Case API';
/** The external id the connection test looks up: a valid id no incident is expected to have. */
export const CONNECTION_PROBE_ID = 'rhythmx-connection-test';

/**
 * The MSSP's Proactive Case API (specs/proactive-case-api.md), serving the `servicenow` target when
 * `TICKET_INTEGRATION=proactive`. Every request carries Basic `appId:secret` and the `Source` header;
 * references use the case number for people and calls alike. TLS certificates are verified unless
 * `options.proactiveVerifyTls` is false. Nothing is retried here.
 */
export class ProactiveAdapter implements TicketAdapter {
  get lifecycle(): Lifecycle {
    return this.config.lifecycle;
  }

  readonly system = 'servicenow' as const;
  private readonly client: JsonClient;

  constructor(
    private readonly config: ProactiveConfig,
    private readonly options: AdapterOptions,
  ) {
    const basic = basicCredentials(config.appId, config.secret);
    this.client = new JsonClient({
      ...remoteHttp(options, {
        system: PROACTIVE_DISPLAY_NAME, targetSystem: this.system, classify: proactiveResponseError, classifyTransport: proactiveTransportError,
        verifyTls: options.proactiveVerifyTls !== false,
      }),
      headers: { accept: 'application/json', authorization: `Basic ${basic}`, source: config.source },
      secrets: [config.secret, basic],
    });
  }

  /** One authenticated read (a find by an id no incident has); a refusal keeps the provider's code and words. */
  async testConnection(): Promise<{ message: string }> {
    try {
      await this.client.send(this.casesGet(proactiveFindQuery(CONNECTION_PROBE_ID)), proactiveCaseListSchema);
    } catch (err) {
      throw refusalForPeople(err);
    }
    const tls = this.options.proactiveVerifyTls === false ? '; TLS certificate verification is OFF' : '';
    return {
      message: `Connected to the ${PROACTIVE_DISPLAY_NAME} as ${this.config.appId} with Source ${this.config.source}; cases are readable${tls}`,
    };
  }

  async prepareCreate(incident: Incident, generation = 1, followsUp?: FollowedTicket): Promise<CreateRequest> {
    checkedIncidentId(incident.id);
    const body = proactiveCreateBody(incident, this.config, {
      generation, ...(this.options.deepLinkBaseUrl ? { deepLinkBaseUrl: this.options.deepLinkBaseUrl } : {}), ...(followsUp ? { followsUp } : {}),
    });
    return {
      system: 'servicenow',
      incidentId: incident.id,
      summary: body.shortDescription,
      description: body.description,
      priority: proactivePriorityLabel(riskLevelOf(incident)),
      body: { ...body },
    };
  }

  async createTicket(request: CreateRequest): Promise<TicketReference> {
    if (request.system !== 'servicenow') {
      throw new TicketError({ code: 'CONFIGURATION', retryable: false, message: `a ${request.system} create request was given to the ${PROACTIVE_DISPLAY_NAME} adapter` });
    }
    const post: JsonRequest = { method: 'POST', url: `${this.config.baseUrl}/cases`, body: JSON.stringify(request.body) };
    const created = await this.client.send(post, proactiveCreatedSchema);
    return proactiveReference(this.config.baseUrl, created.result);
  }

  /** The newest case whose `externalId` is the incident's (the provider does not deduplicate), or null. */
  async findExisting(incidentId: string, generation = 1): Promise<TicketReference | null> {
    const id = checkedIncidentId(incidentId);
    const found = await this.client.send(this.casesGet(proactiveFindQuery(id, generation)), proactiveCaseListSchema);
    // Newest first; a case that does not say it is this incident's (generation's) is not adopted.
    const newest = found.result.find((c) => c.externalId === proactiveExternalId(id, generation));
    return newest ? proactiveReference(this.config.baseUrl, newest) : null;
  }

  async addUpdate(ref: TicketReference, note: string, level?: Incident['risk']['level']): Promise<void> {
    const body = JSON.stringify(proactiveUpdateBody(note, level));
    await this.client.send({ method: 'POST', url: `${this.caseUrl(ref)}/updates`, body }, proactiveUpdatedSchema);
  }

  /** The spec has no state change: a case is resolved by the provider; the bridge adds the note as a work note. */
  async resolve(ref: TicketReference, note: string): Promise<'resolved' | 'already'> {
    await this.addUpdate(ref, note);
    return 'resolved';
  }

  /** A work note carrying the reason; the provider reopens the case. */
  async reopen(ref: TicketReference, note: string): Promise<'reopened' | 'open' | 'read-only'> {
    await this.addUpdate(ref, note);
    return 'reopened';
  }

  /** Always `'unknown'`, without a request: the provider's interface has no call that reads updates back. */
  async findUpdate(_ref: TicketReference, marker: string): Promise<UpdatePresence> {
    checkedUpdateMarker(marker);
    return 'unknown';
  }

  async readStatus(ref: TicketReference): Promise<ProactiveTicketStatus> {
    const found = await this.client.send({ method: 'GET', url: this.caseUrl(ref) }, proactiveCaseResultSchema);
    return proactiveStatus(found.result);
  }

  private casesGet(searchParams: Record<string, string>): JsonRequest {
    return { method: 'GET', url: `${this.config.baseUrl}/cases`, searchParams };
  }

  private caseUrl(ref: TicketReference): string {
    return `${this.config.baseUrl}/cases/${encodeURIComponent(ref.remoteId)}`;
  }
}

/** A 401/403 as an operator reads it in a connection test: the status, the provider's code and its words. */
function refusalForPeople(err: unknown): unknown {
  if (!(err instanceof TicketError) || !err.remoteCode || (err.httpStatus !== 401 && err.httpStatus !== 403)) return err;
  return new TicketError({
    code: err.code,
    retryable: err.retryable,
    httpStatus: err.httpStatus,
    remoteCode: err.remoteCode,
    message: `${PROACTIVE_DISPLAY_NAME} refused the request: HTTP ${err.httpStatus} ${err.remoteCode}: ${err.message}`,
    cause: err,
  });
}
