import { startJiraSimulator, startServiceNowSimulator, type JiraSimulator, type JiraSimulatorOptions, type ServiceNowSimulator } from '@rhx/testing';
import { WORKER_ENV, WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { run, type Run } from './child-processes.js';
import { startHarness, type Harness } from './harness.js';

/** The Jira Cloud account the simulator expects and the environment names. */
export const JIRA_ACCOUNT = { email: 'bot@acme.example', apiToken: 'jira-token-test-1f3c' } as const;

/**
 * A harness whose Jira is a simulator (project SEC), set from the environment as an operator's
 * `JIRA_*` variables would set it; `close()` stops both.
 */
export async function startJiraHarness(
  env: Record<string, string> = {},
  jiraOptions: Partial<JiraSimulatorOptions> = {},
): Promise<{ h: Harness; jira: JiraSimulator; close: () => Promise<void> }> {
  const jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], ...JIRA_ACCOUNT, ...jiraOptions });
  const h = await startHarness({
    JIRA_ENABLED: 'true', JIRA_URL: jira.url, JIRA_EMAIL: JIRA_ACCOUNT.email, JIRA_API_TOKEN: JIRA_ACCOUNT.apiToken, JIRA_PROJECT_KEY: 'SEC',
    ...env,
  });
  return { h, jira, close: async () => { await h.close(); await jira.close(); } };
}

/** The ServiceNow account the simulator expects and the environment names. */
export const SNOW_ACCOUNT = { username: 'rhx.bot', password: 'snow-test-pass-41' } as const;

/** {@link startJiraHarness} with a ServiceNow simulator beside Jira, also set from the environment (`SNOW_*`). */
export async function startBothSystemsHarness(
  env: Record<string, string> = {},
): Promise<{ h: Harness; jira: JiraSimulator; snow: ServiceNowSimulator; close: () => Promise<void> }> {
  const snow = await startServiceNowSimulator({ ...SNOW_ACCOUNT, groups: {} });
  const { h, jira, close } = await startJiraHarness({
    SNOW_ENABLED: 'true', SNOW_INSTANCE: snow.url, SNOW_USERNAME: SNOW_ACCOUNT.username, SNOW_PASSWORD: SNOW_ACCOUNT.password,
    ...env,
  });
  return { h, jira, snow, close: async () => { await close(); await snow.close(); } };
}

/**
 * A real worker process (role `push` unless `roles` says otherwise, e.g. `push,retry`) on the harness's
 * database, Redis prefix and key, launched with the production heap and malloc settings; killed after
 * the test (see child-processes.ts).
 */
export function startWorkerProcess(h: Harness, env: Record<string, string> = {}, options: { roles?: string } = {}): Run {
  const c = h.config;
  return run('apps/worker/src/main.ts', ['--role', options.roles ?? 'push'], {
    ...WORKER_ENV, NODE_ENV: 'test', DATABASE_URL: c.DATABASE_URL, REDIS_URL: c.REDIS_URL, QUEUE_PREFIX: c.QUEUE_PREFIX,
    SETTINGS_ENCRYPTION_KEY: c.SETTINGS_ENCRYPTION_KEY!, INTEGRATION_ALLOWED_HOSTS: '127.0.0.1', HTTP_TIMEOUT_MS: String(c.HTTP_TIMEOUT_MS),
    UNKNOWN_OUTCOME_SETTLE_SECONDS: String(c.UNKNOWN_OUTCOME_SETTLE_SECONDS),
    ...env,
  }, { nodeFlags: WORKER_NODE_FLAGS });
}
