import {
  startJiraSimulator,
  startProactiveSimulator,
  startServiceNowSimulator,
  type JiraSimulator,
  type ProactiveSimulator,
  type ServiceNowSimulator,
} from '@rhx/testing';
import { SIMULATED_CLOUD_ID } from '@rhx/testing';
import { describeAdapterConformance, tokenTests, type ConformanceTarget } from './conformance.js';
import { createAdapter } from './registry.js';

const OPTIONS = { httpTimeoutMs: 5000 };
const JIRA_TOKEN = 'jira-conformance-token-XYZ';
const SNOW_PASSWORD = 'snow-conformance-password-XYZ';
const GROUP_ID = '5f1c0a9e2b3d4e5f6a7b8c9d0e1f2a3b';

function jiraTarget(sim: JiraSimulator, deployment: 'cloud' | 'server'): ConformanceTarget {
  const email = deployment === 'cloud' ? 'soc@acme.test' : undefined;
  const settings = { deployment, baseUrl: sim.url, email, apiToken: JIRA_TOKEN, projectKey: 'SEC' };
  return {
    adapter: createAdapter('jira', settings, OPTIONS),
    withBadCredentials: createAdapter('jira', { ...settings, apiToken: 'wrong-token-123' }, OPTIONS),
    misconfigured: createAdapter('jira', { ...settings, projectKey: 'NOPE' }, OPTIONS),
    readsUpdatesBack: true,
    secrets: [JIRA_TOKEN, 'wrong-token-123'],
    faults: sim.faults,
    createBodies: () => sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/issue')).map((r) => r.body),
    ticketsFor: (id) => sim.issues().filter((i) => (i.fields.labels as string[]).includes(`rhythmx-${id}`)).length,
    closeTicket: (ref) => sim.setStatus(ref.remoteId, 'done'),
    stop: () => sim.close(),
  };
}

function serviceNowTarget(sim: ServiceNowSimulator): ConformanceTarget {
  const settings = { instanceUrl: sim.url, username: 'rhythmx', password: SNOW_PASSWORD, assignmentGroup: 'SOC Tier 2' };
  return {
    adapter: createAdapter('servicenow', settings, OPTIONS),
    withBadCredentials: createAdapter('servicenow', { ...settings, password: 'wrong-password-123' }, OPTIONS),
    misconfigured: createAdapter('servicenow', { ...settings, assignmentGroup: 'No Such Group' }, OPTIONS),
    readsUpdatesBack: true,
    secrets: [SNOW_PASSWORD, 'wrong-password-123'],
    faults: sim.faults,
    createBodies: () => sim.requests().filter((r) => r.method === 'POST' && r.path === '/api/now/table/incident').map((r) => r.body),
    ticketsFor: (id) => sim.incidents().filter((i) => i.correlation_id === `rhythmx:${id}`).length,
    closeTicket: (ref) => sim.setState(ref.remoteId, '7'),
    stop: () => sim.close(),
  };
}

const PROACTIVE_SECRET = 'proactive-conformance-secret-XYZ';
const PROACTIVE_OPTIONS = { ...OPTIONS, ticketIntegration: 'proactive' as const };

function proactiveTarget(sim: ProactiveSimulator): ConformanceTarget {
  const settings = { baseUrl: sim.url, appId: 'rhythmx-app', secret: PROACTIVE_SECRET, serviceIdentifier: 'CI0012345' };
  return {
    adapter: createAdapter('servicenow', settings, PROACTIVE_OPTIONS),
    withBadCredentials: createAdapter('servicenow', { ...settings, secret: 'wrong-secret-123' }, PROACTIVE_OPTIONS),
    misconfigured: createAdapter('servicenow', { ...settings, serviceIdentifier: 'CI9999999' }, PROACTIVE_OPTIONS),
    readsUpdatesBack: false,
    secrets: [PROACTIVE_SECRET, 'wrong-secret-123'],
    faults: sim.faults,
    createBodies: () => sim.requests().filter((r) => r.method === 'POST' && r.path === '/cases').map((r) => r.body),
    ticketsFor: (id) => sim.casesFor(id).length,
    closeTicket: (ref) => sim.setStatus(ref.remoteId, 'Resolved'),
    stop: () => sim.close(),
  };
}

describeAdapterConformance('Jira Cloud', async () =>
  jiraTarget(await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'soc@acme.test', apiToken: JIRA_TOKEN }), 'cloud'),
);

describeAdapterConformance('Jira Data Center', async () =>
  jiraTarget(await startJiraSimulator({ deployment: 'server', projects: ['SEC'], apiToken: JIRA_TOKEN, contextPath: '/jira' }), 'server'),
);

describeAdapterConformance('ServiceNow', async () =>
  serviceNowTarget(await startServiceNowSimulator({ username: 'rhythmx', password: SNOW_PASSWORD, groups: { 'SOC Tier 2': GROUP_ID } })),
);

describeAdapterConformance('Proactive Case API (servicenow in proactive mode)', async () =>
  proactiveTarget(await startProactiveSimulator({ appId: 'rhythmx-app', secret: PROACTIVE_SECRET, serviceIdentifiers: ['CI0012345'] })),
);

// Each sign-in method runs the same suite: what the adapter does must not depend on how it signs in.
const CLIENT = { clientId: 'rhx-conformance-client', clientSecret: 'client-secret-conformance-XYZ' };

function jiraOAuthTarget(sim: JiraSimulator): ConformanceTarget {
  const settings = {
    deployment: 'cloud', baseUrl: sim.url, auth: 'oauth2-client-credentials', clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret,
    tokenUrl: `${sim.url}/oauth/token`, gatewayUrl: sim.url, projectKey: 'SEC',
  };
  return {
    ...jiraTarget(sim, 'cloud'),
    adapter: createAdapter('jira', settings, OPTIONS),
    withBadCredentials: createAdapter('jira', { ...settings, clientSecret: 'wrong-client-secret-123' }, OPTIONS),
    misconfigured: createAdapter('jira', { ...settings, projectKey: 'NOPE' }, OPTIONS),
    secrets: [CLIENT.clientSecret, 'wrong-client-secret-123'],
    tokens: sim.tokens!,
  };
}

function jiraServiceAccountTarget(sim: JiraSimulator): ConformanceTarget {
  const settings = { deployment: 'cloud', baseUrl: sim.url, auth: 'service-account-token', email: 'soc@acme.test', apiToken: JIRA_TOKEN, cloudId: SIMULATED_CLOUD_ID, gatewayUrl: sim.url, projectKey: 'SEC' };
  return {
    ...jiraTarget(sim, 'cloud'),
    adapter: createAdapter('jira', settings, OPTIONS),
    withBadCredentials: createAdapter('jira', { ...settings, apiToken: 'wrong-token-123' }, OPTIONS),
    misconfigured: createAdapter('jira', { ...settings, projectKey: 'NOPE' }, OPTIONS),
  };
}

function serviceNowOAuthTarget(sim: ServiceNowSimulator, grant: 'oauth2-client-credentials' | 'oauth2-password'): ConformanceTarget {
  const settings = {
    instanceUrl: sim.url, auth: grant, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, assignmentGroup: 'SOC Tier 2',
    ...(grant === 'oauth2-password' ? { username: 'rhythmx', password: SNOW_PASSWORD } : {}),
  };
  return {
    ...serviceNowTarget(sim),
    adapter: createAdapter('servicenow', settings, OPTIONS),
    withBadCredentials: createAdapter('servicenow', { ...settings, clientSecret: 'wrong-client-secret-123' }, OPTIONS),
    misconfigured: createAdapter('servicenow', { ...settings, assignmentGroup: 'No Such Group' }, OPTIONS),
    secrets: [CLIENT.clientSecret, SNOW_PASSWORD, 'wrong-client-secret-123'],
    tokens: sim.tokens!,
  };
}

const jiraWithOAuth = async () => jiraOAuthTarget(await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'soc@acme.test', apiToken: JIRA_TOKEN, oauth: CLIENT }));
describeAdapterConformance('Jira Cloud, OAuth 2.0 client credentials through the gateway', jiraWithOAuth);
tokenTests('Jira Cloud, OAuth 2.0 client credentials', jiraWithOAuth);

describeAdapterConformance('Jira Data Center, Basic (an account and its password)', async () => {
  const sim = await startJiraSimulator({ deployment: 'server', projects: ['SEC'], email: 'svc-rhythmx', apiToken: JIRA_TOKEN, contextPath: '/jira' });
  const settings = { deployment: 'server', baseUrl: sim.url, email: 'svc-rhythmx', apiToken: JIRA_TOKEN, projectKey: 'SEC' };
  return {
    ...jiraTarget(sim, 'server'),
    adapter: createAdapter('jira', settings, OPTIONS),
    withBadCredentials: createAdapter('jira', { ...settings, apiToken: 'wrong-token-123' }, OPTIONS),
    misconfigured: createAdapter('jira', { ...settings, projectKey: 'NOPE' }, OPTIONS),
  };
});

describeAdapterConformance('Jira Cloud, a service account’s API token through the gateway', async () =>
  jiraServiceAccountTarget(await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'soc@acme.test', apiToken: JIRA_TOKEN })),
);

for (const grant of ['oauth2-client-credentials', 'oauth2-password'] as const) {
  const grants = grant === 'oauth2-password' ? (['password'] as const) : (['client_credentials'] as const);
  const snowWithOAuth = async () =>
    serviceNowOAuthTarget(await startServiceNowSimulator({ username: 'rhythmx', password: SNOW_PASSWORD, groups: { 'SOC Tier 2': GROUP_ID }, oauth: { ...CLIENT, grants } }), grant);
  describeAdapterConformance(`ServiceNow, ${grant}`, snowWithOAuth);
  tokenTests(`ServiceNow, ${grant}`, snowWithOAuth);
}
