import type { JiraTransition } from './jira-workflow.js';
import type { JiraFieldMeta } from '@rhx/fields';
import type { IncomingHttpHeaders } from 'node:http';
import { startHttpSimulator, type RecordedRequest, type SimulatorReply, type SimulatorRequest } from './http-simulator.server.js';
import { errorReply, jiraRoutes } from './jira-simulator.routes.js';
import { JiraStore, type JiraStatusCategory, type SimulatedJiraIssue } from './jira-simulator.store.js';
import { SimulatorFaults } from './simulator-faults.js';
import { TokenIssuer, type SimulatedOAuthClient } from './oauth-issuer.js';

/** The cloud id a simulated Cloud site reports at `/_edge/tenant_info` unless told otherwise. */
export const SIMULATED_CLOUD_ID = 'a436116f-02ce-4520-8fbb-7301462a1674';

/** How a simulated Jira site is set up. */
export interface JiraSimulatorOptions {
  /** `cloud` serves `/rest/api/3` (ADF), `server` serves `/rest/api/2` (wiki markup). */
  deployment: 'cloud' | 'server';
  /** Project keys that exist (`['SEC']`); any other is `400 errors.project` on create. */
  projects: string[];
  /** Cloud: Basic `email:apiToken` is required. Server: Bearer `apiToken`, or Basic when an email is given. */
  email?: string;
  apiToken: string;
  /** Added to every answer. */
  latencyMs?: number;
  /** Serve under a context path (`/jira`), as Data Center often does. */
  contextPath?: string;
  /** Issue types that exist; default Task, Bug, Story, Incident. */
  issueTypes?: string[];
  /** A search sees an issue only this long after it was created (the index lags); default 0. */
  indexLagMs?: number;
  /** The workflow's transitions; default `DEFAULT_WORKFLOW` (To Do → In Progress → Done with a resolution, Reopen). */
  workflow?: readonly JiraTransition[];
  /** The projects' own create-screen fields (e.g. `SECURITY_PROJECT_FIELDS`): createmeta lists them and creates must fill them. */
  fields?: readonly JiraFieldMeta[];
  /** The edit screen (editmeta), when it differs from the create screen plus summary, description, priority, labels, assignee. */
  editFields?: readonly JiraFieldMeta[];
  /**
   * Cloud: Atlassian's side of service accounts on the same port: the token endpoint `/oauth/token` for
   * this client, and the API gateway `/ex/jira/{cloudId}/rest/api/3/…`, which takes its Bearer tokens or
   * Basic `email:apiToken` (a service account's scoped token). `/_edge/tenant_info` answers the cloud id.
   */
  oauth?: SimulatedOAuthClient;
  /** The site's cloud id (default {@link SIMULATED_CLOUD_ID}). */
  cloudId?: string;
}

/** A running simulated Jira site. */
export interface JiraSimulator {
  /** Base URL, context path included, without a trailing slash. */
  url: string;
  close(): Promise<void>;
  /** Issues created so far, fields exactly as sent (copies). */
  issues(): SimulatedJiraIssue[];
  /** Every request received, in order. */
  requests(): RecordedRequest[];
  faults: SimulatorFaults;
  /** Moves an issue (by id or key) to a status category, as a person working the ticket would. */
  setStatus(idOrKey: string, category: JiraStatusCategory, name?: string): void;
  /** The token endpoint, when `oauth` is set: tokens issued, and expiring them all at once. */
  tokens: TokenIssuer | undefined;
  /** The gateway's base for this site (`<url>/ex/jira/<cloudId>`). */
  gatewayUrl: string;
}

/** Starts a loopback Jira that enforces the documented create, ADF, search and auth rules. */
export async function startJiraSimulator(options: JiraSimulatorOptions): Promise<JiraSimulator> {
  const store = new JiraStore();
  const faults = new SimulatorFaults();
  const apiVersion = options.deployment === 'cloud' ? 3 : 2;
  const prefix = `/rest/api/${apiVersion}`;
  let baseUrl = '';
  const routes = jiraRoutes(store, {
    apiVersion,
    projects: options.projects,
    issueTypes: options.issueTypes ?? ['Task', 'Bug', 'Story', 'Incident'],
    indexLagMs: options.indexLagMs ?? 0,
    ...(options.fields ? { screen: options.fields } : {}),
    ...(options.editFields ? { editScreen: options.editFields } : {}),
    ...(options.workflow ? { workflow: options.workflow } : {}),
    baseUrl: () => baseUrl,
  });
  const cloudId = options.cloudId ?? SIMULATED_CLOUD_ID;
  const tokens = options.oauth ? new TokenIssuer(options.oauth) : undefined;
  const gateway = `/ex/jira/${cloudId}${prefix}`;
  const handle = (req: SimulatorRequest): SimulatorReply => {
    if (options.deployment === 'cloud' && req.path === '/_edge/tenant_info') return { status: 200, json: { cloudId } };
    if (req.path === '/oauth/token' && tokens) return tokens.issue(req);
    const viaGateway = options.deployment === 'cloud' && req.path.startsWith(`${gateway}/`);
    if (!viaGateway && req.path.startsWith('/ex/jira/')) return errorReply(404, ['Site not found for this cloud id']);
    if (!viaGateway && !req.path.startsWith(`${prefix}/`)) return errorReply(404, [`null for uri: ${req.path}`]);
    const allowed = viaGateway ? tokens?.accepts(req.headers.authorization) || authorised(req.headers, options) : authorised(req.headers, options);
    if (!allowed) {
      const reply = errorReply(401, ['You are not authenticated. Authentication required to perform this operation.']);
      return { ...reply, headers: { 'www-authenticate': viaGateway ? 'Bearer realm="api.atlassian.com"' : 'Basic realm="protected-area"' } };
    }
    return routes({ ...req, path: req.path.slice((viaGateway ? gateway : prefix).length) });
  };
  const server = await startHttpSimulator(handle, {
    faults,
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    ...(options.contextPath !== undefined ? { contextPath: options.contextPath } : {}),
  });
  baseUrl = server.url;
  return {
    url: server.url,
    close: server.close,
    requests: server.requests,
    issues: () => store.all(),
    faults,
    setStatus: (idOrKey, category, name) => store.setStatus(idOrKey, category, name),
    tokens,
    gatewayUrl: `${server.url}/ex/jira/${cloudId}`,
  };
}

function authorised(headers: IncomingHttpHeaders, options: JiraSimulatorOptions): boolean {
  const header = headers.authorization ?? '';
  const basic = options.email ? `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}` : undefined;
  if (basic !== undefined && header === basic) return true;
  return options.deployment === 'server' && header === `Bearer ${options.apiToken}`;
}
