import { describe, expect, test } from '@jest/globals';
import { TARGET_SYSTEMS } from '@rhx/domain';
import { JiraAdapter } from './jira/jira.adapter.js';
import { ServiceNowAdapter } from './servicenow/servicenow.adapter.js';
import { ADAPTER_CONFIG_SCHEMAS, createAdapter } from './registry.js';
import { TicketError } from './ticket-error.js';

const OPTIONS = { httpTimeoutMs: 1000 };

describe('createAdapter', () => {
  test('every target system has a config schema', () => {
    expect(Object.keys(ADAPTER_CONFIG_SCHEMAS).sort()).toEqual([...TARGET_SYSTEMS].sort());
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
