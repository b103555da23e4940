import { OOB_EXTRA_COLUMNS, type ServiceNowInstanceOptions } from './servicenow-instance.js';
import { startHttpSimulator, type RecordedRequest, type SimulatorReply, type SimulatorRequest } from './http-simulator.server.js';
import { failure, serviceNowRoutes } from './servicenow-simulator.routes.js';
import { ServiceNowStore, type SimulatedJournalEntry, type SimulatedServiceNowIncident } from './servicenow-simulator.store.js';
import { SimulatorFaults } from './simulator-faults.js';
import { TokenIssuer, type SimulatedOAuthClient } from './oauth-issuer.js';

/** How a simulated ServiceNow instance is set up. */
export interface ServiceNowSimulatorOptions {
  /** Basic-auth user and password every request must carry. */
  username: string;
  password: string;
  /** `sys_user_group` rows: name → sys_id (`{'SOC Tier 2': '<32 hex>'}`). */
  groups: Record<string, string>;
  /** Added to every answer. */
  latencyMs?: number;
  /**
   * Whether the integration user may read `sys_journal_field` (default true); false answers every
   * read of it `403`, as an instance that grants no such role does.
   */
  journalReadable?: boolean;
  /** The instance's customisation (columns, data policy, choices, users, dictionary access); default out of the box. */
  instance?: ServiceNowInstanceOptions;
  /** An OAuth application registry entry: `/oauth_token.do` issues Bearer tokens the Table API takes (password grant: as `username`). */
  oauth?: SimulatedOAuthClient;
}

/** A running simulated ServiceNow instance. */
export interface ServiceNowSimulator {
  /** Base URL (`http://127.0.0.1:<port>`), usable as the instance setting. */
  url: string;
  close(): Promise<void>;
  /** Incident records created so far (copies), with their work-note journals. */
  incidents(): SimulatedServiceNowIncident[];
  /** Every request received, in order. */
  requests(): RecordedRequest[];
  faults: SimulatorFaults;
  /** Work notes as `sys_journal_field` rows (copies), oldest first. */
  journal(): SimulatedJournalEntry[];
  /** Grants or withdraws read access to `sys_journal_field` from now on. */
  setJournalReadable(readable: boolean): void;
  /** Sets a record's state (`2` In Progress, `6` Resolved, `7` Closed…), as an agent would. */
  setState(sysId: string, state: string): void;
  /** Sets one column of a record (an agent assigning it to someone, say). */
  setColumn(sysId: string, column: string, value: string): void;
  /** The token endpoint, when `oauth` is set: tokens issued, and expiring them all at once. */
  tokens: TokenIssuer | undefined;
}

/**
 * Starts a loopback ServiceNow Table API that computes priority and ignores bad query terms as the
 * platform does; work notes are readable back through `sys_journal_field` only (the record reads `''`).
 */
export async function startServiceNowSimulator(options: ServiceNowSimulatorOptions): Promise<ServiceNowSimulator> {
  const store = new ServiceNowStore([...OOB_EXTRA_COLUMNS, ...(options.instance?.customColumns ?? [])]);
  const faults = new SimulatorFaults();
  let baseUrl = '';
  let journalReadable = options.journalReadable ?? true;
  const routes = serviceNowRoutes(store, { groups: options.groups, baseUrl: () => baseUrl, journalReadable: () => journalReadable, instance: options.instance ?? {} });
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const tokens = options.oauth ? new TokenIssuer(options.oauth, { username: options.username, password: options.password }) : undefined;
  const handle = (req: SimulatorRequest): SimulatorReply => {
    if (req.path === '/oauth_token.do' && tokens) return tokens.issue(req);
    if (req.headers.authorization !== expected && !tokens?.accepts(req.headers.authorization)) {
      return failure(401, 'User Not Authenticated', 'Required to provide Auth information');
    }
    return routes(req);
  };
  const server = await startHttpSimulator(handle, {
    faults,
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
  });
  baseUrl = server.url;
  return {
    url: server.url,
    close: server.close,
    requests: server.requests,
    incidents: () => store.records.map((r) => structuredClone(r)),
    tokens,
    faults,
    journal: () => store.journal.map((e) => ({ ...e })),
    setJournalReadable: (readable) => {
      journalReadable = readable;
    },
    setColumn: (sysId, column, value) => {
      const record = store.find(sysId);
      if (!record) throw new Error(`no simulated ServiceNow incident ${sysId}`);
      store.update(record, { [column]: value });
    },
    setState: (sysId, state) => {
      const record = store.find(sysId);
      if (!record) throw new Error(`no simulated ServiceNow incident ${sysId}`);
      store.update(record, { state });
    },
  };
}
