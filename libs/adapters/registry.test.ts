import { describe, expect, test } from '@jest/globals';
import { TARGET_SYSTEMS } from '@rhx/domain';
import { JiraAdapter } from './jira/jira.adapter.js';
import { ServiceNowAdapter } from './servicenow/servicenow.adapter.js';
import { ProactiveAdapter } from './proactive/proactive.adapter.js';
import { HostPolicy } from './http/host-policy.js';
import { adapterConfigSchema, createAdapter } from './registry.js';
import { SYSTEMS } from './systems.js';
import { hostPolicyFor, targetUrlProblems } from './target-url.js';
import { TicketError } from './ticket-error.js';

const OPTIONS = { httpTimeoutMs: 1000 };

describe('createAdapter', () => {
  test('every target system is served by its own profile in the standard integration', () => {
    for (const system of TARGET_SYSTEMS) expect(SYSTEMS[system]).toMatchObject({ profile: system, serves: system, integration: 'standard' });
  });

  test.each([
    ['jira', { deployment: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'a@b.c', apiToken: 't', projectKey: 'SEC' }, JiraAdapter],
    ['servicenow', { instanceUrl: 'acme.service-now.com', username: 'u', password: 'p' }, ServiceNowAdapter],
  ] as const)('%s settings → its adapter', (system, settings, type) => {
    const adapter = createAdapter(system, settings, OPTIONS);
    expect(adapter).toBeInstanceOf(type);
    expect(adapter.system).toBe(system);
  });

  test('invalid settings are a permanent CONFIGURATION error that lists every problem and no value', () => {
    const settings = { deployment: 'cloud', baseUrl: 'ftp://x', apiToken: 'super-secret-token', projectKey: 'sec' };
    let error: unknown;
    try {
      createAdapter('jira', settings, OPTIONS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TicketError);
    expect(error).toMatchObject({ code: 'CONFIGURATION', retryable: false });
    const message = (error as TicketError).message;
    expect(message).toMatch(/baseUrl: .*; projectKey: .*; email: is required for Jira Cloud/);
    expect(message).not.toContain('super-secret-token');
  });
});

describe('proactive mode', () => {
  const PROACTIVE = { ...OPTIONS, ticketIntegration: 'proactive' as const };
  const settings = { baseUrl: 'https://cases.mssp.example/api/proactive/v1', appId: 'app', secret: 'proactive-secret-1', serviceIdentifier: 'CI0012345' };

  test('the servicenow target is built by the Proactive adapter from the proactive settings; Jira is unchanged', () => {
    const adapter = createAdapter('servicenow', settings, PROACTIVE);
    expect(adapter).toBeInstanceOf(ProactiveAdapter);
    expect(adapter.system).toBe('servicenow');
    const jira = { deployment: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'a@b.c', apiToken: 't', projectKey: 'SEC' };
    expect(createAdapter('jira', jira, PROACTIVE)).toBeInstanceOf(JiraAdapter);
    expect(adapterConfigSchema('servicenow', PROACTIVE).safeParse(settings).success).toBe(true);
    expect(adapterConfigSchema('servicenow', { ticketIntegration: 'standard' }).safeParse(settings).success).toBe(false);
  });

  test('Table API settings in proactive mode are a permanent CONFIGURATION error naming the proactive fields, no value', () => {
    let error: unknown;
    try {
      createAdapter('servicenow', { instanceUrl: 'acme.service-now.com', username: 'u', password: 'table-api-password' }, PROACTIVE);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CONFIGURATION', retryable: false });
    const message = (error as TicketError).message;
    expect(message).toMatch(/^servicenow \(Proactive Case API\) settings are invalid: baseUrl: .*; appId: .*; secret: .*; serviceIdentifier: /);
    expect(message).not.toContain('table-api-password');
  });

  test('PROACTIVE_SNOW_BASE_URL is the trusted servicenow URL; another URL is host-checked, named as baseUrl', () => {
    const hostPolicy = new HostPolicy({ any: false, names: [], suffixes: [], networks: [] });
    const options = { ...PROACTIVE, hostPolicy, trustedBaseUrls: { servicenow: 'http://127.0.0.1:9400/api/proactive/v1/' } };
    expect(hostPolicyFor('servicenow', 'http://127.0.0.1:9400/api/proactive/v1', options)).toBeUndefined();
    expect(hostPolicyFor('servicenow', 'http://127.0.0.1:9400/other', options)).toBe(hostPolicy);
    expect(targetUrlProblems('servicenow', { baseUrl: 'http://127.0.0.1:9500/x' }, options)).toEqual([
      { path: 'baseUrl', message: 'host 127.0.0.1 is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it' },
    ]);
    expect(targetUrlProblems('servicenow', { instanceUrl: 'http://127.0.0.1:9500' }, options)).toEqual([]);
  });
});
