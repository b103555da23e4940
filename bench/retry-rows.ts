// Rows of the retry issue: (h) retry under 20% transient failures, (i) worker RSS growth from 2,000 to
// 20,000 deliveries, and (f)'s CPU per ticket across the fleet's processes.
import { formatCpu, type CpuReport } from './cpu.js';
import { add, anomalies, cpuMs, log, perItem, round, whereTimeGoes } from './report.js';
import { measureRetry, RETRY_ENV } from './retry.js';
import { measureRssGrowth } from './rss-growth.js';

/** Seconds of backoff before attempt `attempts` under RETRY_ENV (1, 2, 4, 8, 8… s). */
function backoffSeconds(attempts: number): number {
  const base = Number(RETRY_ENV.RETRY_BASE_DELAY_SECONDS);
  const cap = Number(RETRY_ENV.RETRY_MAX_DELAY_SECONDS);
  let total = 0;
  for (let k = 1; k < attempts; k++) total += Math.min(base * 2 ** (k - 1), cap);
  return total;
}

/** The fleet's processes in a tickets window: what a deployment pays for per ticket (not the simulators, not the bench). */
const FLEET = ['worker', 'postgres', 'redis'];

export async function retryRows(): Promise<void> {
  log('(h) 2,000 incidents → Jira + ServiceNow, 20% of creates failing at random, retry base 1 s');
  const h = await measureRetry();
  const { tally } = h;
  const duplicates = tally.jiraDuplicates + tally.snowDuplicates;
  const attempts = Object.entries(h.attempts).map(([a, n]) => `${a}: ${n}`).join(', ');
  const what = `${h.stored} of ${h.tickets} ticket references stored, ${h.givenUp} deliveries given up; simulators hold ${tally.jiraIssues} Jira issues and ${tally.snowIncidents} ServiceNow incidents`;
  const faults = `${tally.createRequests} creates, ${tally.injected.unavailable} answered 503, ${tally.injected.lostAnswers} created then answered 500 (lost answers); ${h.adopted} tickets adopted after a lost answer`;
  const settings = `RETRY_BASE_DELAY_SECONDS ${RETRY_ENV.RETRY_BASE_DELAY_SECONDS}, RETRY_MAX_DELAY_SECONDS ${RETRY_ENV.RETRY_MAX_DELAY_SECONDS}, RETRY_MAX_ATTEMPTS ${RETRY_ENV.RETRY_MAX_ATTEMPTS}; simulators answer in 20 ms`;
  log(`(h) ${round(h.seconds, 1)} s; ${what}; duplicates ${duplicates}; attempts per delivery ${attempts}`);
  const allTicketed = h.stored === h.tickets;
  add(
    { name: '(h) time until all 2,000 incidents are ticketed (4,000 tickets), 20% transient failures, 1 worker process', value: round(h.seconds, 1), unit: 's', ...(allTicketed ? {} : { met: false, target: 'all ticketed' }), note: `${what}; ${faults}; attempts per delivery (attempts: deliveries) ${attempts}; ${settings}; ${formatCpu(h.cpu)}` },
    h.cpu,
    `the tail is the backoff schedule: a delivery failing k times in a row waits 1+2+4+… s`,
  );
  // This row has no target, so add() writes no line for it; the time is mostly waiting, which is worth saying.
  if (allTicketed) {
    whereTimeGoes.push(`(h) retry under 20% failures: first tries at the (f) rate, then the backoff tail (the slowest delivery took ${Math.max(...Object.keys(h.attempts).map(Number))} attempts, i.e. ${backoffSeconds(Math.max(...Object.keys(h.attempts).map(Number)))} s of backoff after its first try); ${perItem(h.cpu, h.tickets, 'ticket')}; ${formatCpu(h.cpu)}`);
  }
  add(
    { name: '(h) incidents with more than one ticket in a system, same run', value: duplicates, unit: 'incidents', target: '0', met: duplicates === 0 && tally.unmarked === 0, note: `Jira ${tally.jiraDuplicates}, ServiceNow ${tally.snowDuplicates}${tally.examples.length ? ` e.g. ${tally.examples.join(', ')}` : ''}; tickets with no incident mark ${tally.unmarked}` },
  );
  if (!allTicketed) anomalies.push(`(h) only ${h.stored} of ${h.tickets} tickets stored; ${h.givenUp} deliveries given up`);
  if (h.warnings.length) anomalies.push(`(h) worker warnings (the injected failures log a warning each): ${h.warnings.join(' / ')}`);
}

export async function rssGrowthRows(): Promise<void> {
  log('(i) worker RSS after 2,000 and after 20,000 tickets, one process, no latency, no faults');
  const r = await measureRssGrowth();
  const [first, last] = r.marks as [(typeof r.marks)[0], (typeof r.marks)[0]];
  const mb = (kb: number) => round(kb / 1024, 1);
  const growth = (last.hwmKb / first.hwmKb - 1) * 100;
  const current = (last.rssKb / first.rssKb - 1) * 100;
  const marks = `peak (VmHWM) ${mb(first.hwmKb)} MB after ${first.tickets} tickets, ${mb(last.hwmKb)} MB after ${last.tickets}; current RSS ${mb(first.rssKb)} → ${mb(last.rssKb)} MB (${round(current, 1)}%); ${mb(r.readyRssKb)} MB when ready`;
  log(`(i) ${marks}; ${round(r.tickets / r.seconds)} tickets/s`);
  add(
    { name: '(i) worker peak RSS growth, after 20,000 tickets against after 2,000 (same process)', value: round(growth, 1), unit: '%', target: '≤ 20', met: growth <= 20, note: `${marks}; ${r.tickets} tickets in ${round(r.seconds, 1)} s (${round(r.tickets / r.seconds)}/s, simulators answer at once); ${perItem(r.cpu, r.tickets, 'ticket')}` },
    r.cpu,
    marks,
  );
  if (r.warnings.length) anomalies.push(`(i) worker warnings: ${r.warnings.join(' / ')}`);
}

/**
 * CPU ms per ticket of worker + PostgreSQL + Redis over one of (f)'s windows: `end-to-end` (the incidents
 * ingested in the window too: half an incident per ticket) or `push` (ingested before it, as row (l) counts).
 */
export function cpuPerTicketRow(cpu: CpuReport, tickets: number, workers: number, window: 'end-to-end' | 'push' = 'end-to-end'): void {
  const ms = cpuMs(cpu, FLEET, tickets);
  const what = window === 'push' ? 'push alone (incidents ingested before the window, as in (l))' : 'end to end (ingesting the incidents included)';
  add(
    // Issue 13's target (≤ 3) is the push worker's cost of a ticket, counted as (l) counts round trips: ingest apart.
    { name: `(f) CPU ms per ticket, ${what}, all fleet processes (worker + PostgreSQL + Redis), ${workers} worker process${workers > 1 ? 'es' : ''}`, value: round(ms, 2), unit: 'ms', ...(window === 'push' ? { target: '≤ 3', met: ms <= 3 } : {}), note: `${perItem(cpu, tickets, 'ticket')}; PostgreSQL counts this stage's backends and the server's shared processes, Redis the whole server (shared with anything else using it)` },
    undefined, // (f)'s own row already reports whether the machine was shared in this window
    `${perItem(cpu, tickets, 'ticket')}; ${formatCpu(cpu)}`,
  );
}
