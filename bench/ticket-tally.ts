// Duplicates as the ticketing systems see them: tickets per incident, by the marks the adapters set
// (Jira label `rhythmx-<id>`, ServiceNow `correlation_id` `rhythmx:<id>`).
import type { SimulatedJiraIssue, SimulatedServiceNowIncident } from '@rhx/testing';
import type { InjectedFailures } from './random-faults.js';

export interface TicketTally {
  jiraIssues: number;
  snowIncidents: number;
  /** Incidents with more than one ticket in that system (a few ids as examples). */
  jiraDuplicates: number;
  snowDuplicates: number;
  examples: string[];
  /** Tickets that carry no incident mark at all (should be none). */
  unmarked: number;
  createRequests: number;
  injected: InjectedFailures;
}

const JIRA_MARK = 'rhythmx-';
const SNOW_MARK = 'rhythmx:';

function duplicates(marks: (string | undefined)[]): { dup: string[]; unmarked: number } {
  const seen = new Map<string, number>();
  let unmarked = 0;
  for (const m of marks) {
    if (m === undefined) unmarked += 1;
    else seen.set(m, (seen.get(m) ?? 0) + 1);
  }
  return { dup: [...seen].filter(([, n]) => n > 1).map(([m, n]) => `${m}×${n}`), unmarked };
}

export function tallyTickets(
  issues: SimulatedJiraIssue[],
  incidents: SimulatedServiceNowIncident[],
  createRequests: number,
  injected: InjectedFailures,
): TicketTally {
  const labels = issues.map((i) => (i.fields.labels as string[] | undefined)?.find((l) => l.startsWith(JIRA_MARK)));
  const jira = duplicates(labels);
  const snow = duplicates(incidents.map((r) => (r.correlation_id.startsWith(SNOW_MARK) ? r.correlation_id : undefined)));
  return {
    jiraIssues: issues.length,
    snowIncidents: incidents.length,
    jiraDuplicates: jira.dup.length,
    snowDuplicates: snow.dup.length,
    examples: [...jira.dup, ...snow.dup].slice(0, 5),
    unmarked: jira.unmarked + snow.unmarked,
    createRequests,
    injected: { ...injected },
  };
}
