// Starting the simulators' process (bench/simulators.process.ts) and what a worker needs to push to it.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { spawnChild, waitFor, type Child } from './procs.js';
import type { TicketTally } from './ticket-tally.js';

export interface Simulators {
  child: Child;
  jira: string;
  snow: string;
  /** The process's control server: GET /tally. */
  control: string;
}

/** Jira Cloud and ServiceNow answering after `latencyMs`, a share `failureRate` of creates failing at random. */
export async function startSimulators(name: string, latencyMs: number, failureRate = 0): Promise<Simulators> {
  const child = spawnChild(`simulators-${name}`, 'simulator', 'bench/simulators.process.ts', [String(latencyMs), String(failureRate)], {});
  await waitFor(async () => child.stdout().includes('"jira"'), 30_000, 'simulators', [child], 50);
  const urls = JSON.parse(child.stdout().trim().split('\n')[0]!) as Omit<Simulators, 'child'>;
  return { child, ...urls };
}

/** Worker environment that enables both systems against the simulators and auto-pushes every critical incident. */
export function ticketingEnv(sims: Simulators): Record<string, string> {
  return {
    SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    JIRA_URL: sims.jira, JIRA_EMAIL: 'bench@rhythmx.example', JIRA_API_TOKEN: 'bench-jira', JIRA_PROJECT_KEY: 'SEC', JIRA_ENABLED: 'true',
    SNOW_INSTANCE: sims.snow, SNOW_USERNAME: 'bench', SNOW_PASSWORD: 'bench-snow', SNOW_ENABLED: 'true',
    AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_TARGETS: 'jira,servicenow',
  };
}

/** Tickets per incident as the simulators hold them, and the failures they injected. */
export function ticketTally(sims: Simulators): Promise<TicketTally> {
  return new Promise((resolve, reject) => {
    http
      .get(`${sims.control}/tally`, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          try {
            resolve(JSON.parse(body) as TicketTally);
          } catch (err) {
            reject(err as Error);
          }
        });
      })
      .on('error', reject);
  });
}
