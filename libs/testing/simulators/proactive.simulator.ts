import { startHttpSimulator, type RecordedRequest, type SimulatorReply, type SimulatorRequest } from './http-simulator.server.js';
import { proactiveFailure, proactiveRoutes } from './proactive-simulator.routes.js';
import {
  PROACTIVE_TICKET_STATUSES,
  ProactiveStore,
  type ProactiveTicketStatusName,
  type SimulatedCaseUpdate,
  type SimulatedProactiveCase,
} from './proactive-simulator.store.js';
import { SimulatorFaults } from './simulator-faults.js';

/** How a simulated Proactive Case API is set up. */
export interface ProactiveSimulatorOptions {
  /** Basic-auth app id and secret every request must carry (else `401 UNAUTHORIZED`). */
  appId: string;
  secret: string;
  /** `Source` header values allowed (else `403 SOURCE_NOT_ALLOWED`); default `['Managed_services']`. */
  sources?: string[];
  /** The customer's registered service identifiers (others: `400 INVALID_SERVICE_IDENTIFIER`). */
  serviceIdentifiers: string[];
  /** Tables the provider knows (others: `400 INVALID_TABLE`); default `['Case']`. */
  tables?: string[];
  /** Base path of the API; default `/api/proactive/v1`, as the provider's example. */
  contextPath?: string;
  /** Added to every answer (the sync benchmark uses 20 ms). */
  latencyMs?: number;
}

/** A running simulated Proactive Case API. */
export interface ProactiveSimulator {
  /** Base URL (`http://127.0.0.1:<port>/api/proactive/v1`), usable as `PROACTIVE_SNOW_BASE_URL`. */
  url: string;
  close(): Promise<void>;
  /** Every case so far (copies), oldest first, with its updates. */
  cases(): SimulatedProactiveCase[];
  /** The cases of an external id (copies), newest first: more than one means a duplicate. */
  casesFor(externalId: string): SimulatedProactiveCase[];
  /** The updates a case received, in order. */
  updatesFor(caseNumber: string): SimulatedCaseUpdate[];
  /** Sets a case's `ticketStatus` as an analyst would (either spelling of the older statuses is accepted). */
  setStatus(caseNumber: string, ticketStatus: ProactiveTicketStatusName, resolutionNote?: string): void;
  /** How many `GET /cases/{caseNumber}` reads (status polls) it has answered. */
  readonly reads: number;
  /** Every request received, in order. */
  requests(): RecordedRequest[];
  faults: SimulatorFaults;
}

/** Starts a loopback Proactive Case API that enforces specs/proactive-case-api.md. */
export async function startProactiveSimulator(options: ProactiveSimulatorOptions): Promise<ProactiveSimulator> {
  const store = new ProactiveStore();
  const faults = new SimulatorFaults();
  const sources = options.sources ?? ['Managed_services'];
  let origin = '';
  let reads = 0;
  const routes = proactiveRoutes(store, {
    tables: options.tables ?? ['Case'],
    serviceIdentifiers: options.serviceIdentifiers,
    caseUrl: (caseNumber) => `${origin}/case?number=${encodeURIComponent(caseNumber)}`,
    onRead: () => void (reads += 1),
  });
  const expected = `Basic ${Buffer.from(`${options.appId}:${options.secret}`).toString('base64')}`;
  const handle = (req: SimulatorRequest): SimulatorReply => {
    if (req.headers.authorization !== expected) return proactiveFailure(401, 'UNAUTHORIZED', 'invalid app id or secret');
    const source = req.headers.source;
    if (typeof source !== 'string' || !sources.includes(source)) {
      return proactiveFailure(403, 'SOURCE_NOT_ALLOWED', 'the Source header names no source allowed for this app id');
    }
    return routes(req);
  };
  const server = await startHttpSimulator(handle, {
    faults,
    contextPath: options.contextPath ?? '/api/proactive/v1',
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
  });
  origin = new URL(server.url).origin;
  const existing = (caseNumber: string) => {
    const found = store.find(caseNumber);
    if (!found) throw new Error(`no simulated Proactive case ${caseNumber}`);
    return found;
  };
  return {
    url: server.url,
    close: server.close,
    requests: server.requests,
    faults,
    cases: () => store.cases.map((c) => structuredClone(c)),
    casesFor: (externalId) => store.byExternalId(externalId).map((c) => structuredClone(c)),
    updatesFor: (caseNumber) => structuredClone(existing(caseNumber).updates),
    setStatus: (caseNumber, ticketStatus, resolutionNote) => {
      if (!(PROACTIVE_TICKET_STATUSES as readonly string[]).includes(ticketStatus)) {
        throw new Error(`"${ticketStatus}" is not a ticketStatus the provider knows: ${PROACTIVE_TICKET_STATUSES.join(', ')}`);
      }
      store.setStatus(existing(caseNumber), ticketStatus, resolutionNote);
    },
    get reads() {
      return reads;
    },
  };
}
