// npm run bench: the raw BullMQ ceiling (a), the API accept rate (b), the end-to-end ingest rate with one
// and two worker processes (c), accept-to-stored latency at 200/s (d), tickets/s against the simulators (f),
// with CPU ms per ticket, the renderers' rate (g), the retry under 20% transient failures (h), a worker's RSS
// growth over 20,000 tickets (i), one sync cycle over 10,000 open tickets (j), a page of the incident list at 100,000 incidents (k), round trips to PostgreSQL per ticket (l), what a primary's death costs (n) and the workers' peak RSS (e), in one run (`-- --only h,i` runs a subset, see
// only.ts); prints a table and writes bench/results.json. Every child, database and queue it made is removed.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { cpuWindow, formatCpu } from './cpu.js';
import { measureAccept, measureIngest, measureLatency, REDIS_URL, type IngestResult } from './phases.js';
import { BENCH_RUNTIME, allChildren, killAllNow, sleep, startMemorySampler, stopAll, stopMemorySampler } from './procs.js';
import { selectedPhases } from './only.js';
import { median, rawCeilingOnce } from './raw-ceiling.js';
import { add, anomalies, log, perItem, results, round, whereTimeGoes, type Result } from './report.js';
import { cpuPerTicketRow, retryRows, rssGrowthRows } from './retry-rows.js';
import { cleanUpEverything, prepareBenchTemplate } from './setup.js';
import { syncRow } from './sync-row.js';
import { incidentListRow } from './incident-list-row.js';
import { measureRenderers, measureTickets } from './tickets.js';
import { measureRoundTrips } from './round-trips.js';
import { measureTicketLatency } from './ticket-latency.js';
import { measureFailovers } from './failover-row.js';

/** RSS of a Node process that loads tsx and nothing else: the floor under any `node --import tsx` process. */
function bareTsxRssMb(): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', 'console.log(process.memoryUsage().rss)'], { encoding: 'utf8' });
  return round(Number(out.trim()) / 1024 / 1024);
}

/** The code measured: HEAD and the files changed under apps/ and libs/ (another engineer works there). */
function codeVersion(): { head: string; dirty: string[] } {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs', 'prisma', 'scripts'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.trim());
    return { head, dirty };
  } catch {
    return { head: 'unknown', dirty: [] };
  }
}
const code = codeVersion();
const runs = selectedPhases(process.argv.slice(2));

let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('interrupted: cleaning up');
  void stopAll()
    .then(() => cleanUpEverything(log))
    .finally(() => process.exit(130));
});
process.on('exit', killAllNow);

const started = Date.now();
startMemorySampler();
try {
  // What production runs is measured: the build, made fresh from the code measured.
  if (BENCH_RUNTIME === 'dist') log(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { encoding: 'utf8' }).trim());
  await prepareBenchTemplate();
  const idle = cpuWindow({});
  await sleep(2_000);
  const before = idle.stop();
  log(`before the bench: ${formatCpu(before)}`);
  if (before.machineBusyPct >= 15) anomalies.push(`the machine was already ${before.machineBusyPct}% busy before the bench started (${before.others.join(', ')})`);

  // (a) raw ceiling, median of 3
  const raws = [];
  for (let i = 0; i < (runs('a') ? 3 : 0); i++) {
    const r = await rawCeilingOnce(REDIS_URL);
    log(`(a) run ${i + 1}: ${round(r.jobsPerSecond)} jobs/s (fill ${r.fillSeconds.toFixed(1)} s, drain ${r.drainSeconds.toFixed(2)} s)`);
    raws.push(r);
  }
  const raw = median(raws.map((r) => r.jobsPerSecond));
  const rawMid = raws.find((r) => r.jobsPerSecond === raw) ?? raws[0];
  if (rawMid) add({ name: '(a) raw BullMQ ceiling, 1 worker × 50, queue filled first', value: round(raw), unit: 'jobs/s', note: `median of 3: ${raws.map((r) => round(r.jobsPerSecond)).join(', ')}; ${formatCpu(rawMid.cpu)}; ${perItem(rawMid.cpu, 20_000, 'no-op job')}` });

  // (b) API accept rate, no worker
  if (runs('b')) {
    log('(b) API accept rate: 50 keep-alive clients, 2 s warm-up + 10 s');
    const b = await measureAccept();
    const errText = b.tally.errors > 0 ? `; non-202: ${JSON.stringify(b.tally.byStatus)} e.g. ${b.tally.samples.join(' | ')}` : '';
    if (b.tally.errors > 0) anomalies.push(`(b) ${b.tally.errors} non-202 answers: ${JSON.stringify(b.tally.byStatus)}; samples: ${b.tally.samples.join(' | ')}`);
    add(
      {
        name: '(b) API accepted/s (202 only, 50 clients, no worker)',
        value: round(b.acceptedPerSecond),
        unit: 'req/s',
        target: '≥ 1500',
        met: b.acceptedPerSecond >= 1500,
        note: `errors ${b.tally.errors}; HTTP p50 ${round(b.p50Ms, 1)} ms, p99 ${round(b.p99Ms, 1)} ms; API start-up ${b.startupMs} ms${errText}`,
      },
      b.cpu,
      `HTTP latency p50 ${round(b.p50Ms, 1)} ms / p99 ${round(b.p99Ms, 1)} ms at 50 in flight; ${perItem(b.cpu, b.tally.accepted, 'accepted request')}`,
    );
    log(`(b) ${round(b.acceptedPerSecond)} accepted/s; ${formatCpu(b.cpu)}`);
    if (b.warnings.length) anomalies.push(`(b) API warnings: ${b.warnings.join(' / ')}`);
  }

  // (c) end-to-end ingest, one then two worker processes
  const ingest: IngestResult[] = [];
  for (const workers of runs('c') ? [1, 2] : []) {
    log(`(c) ingest of 10,000 pre-filled incidents with ${workers} worker process(es)`);
    const c = await measureIngest(workers);
    ingest.push(c);
    const ratio = c.perSecond / raw;
    log(`(c) ${workers}: ${round(c.perSecond)}/s in ${c.seconds.toFixed(2)} s (pre-fill ${c.prefillSeconds.toFixed(1)} s, start-up ${c.startupMs} ms); ratio ${ratio.toFixed(3)}; ${formatCpu(c.cpu)}`);
    add(
      {
        name: `(c) ingest accepted→stored, ${workers} worker process${workers > 1 ? 'es' : ''}`,
        value: round(c.perSecond),
        unit: 'incidents/s',
        target: `≥ 0.25 × (a) = ${round(raw * 0.25)}`,
        met: ratio >= 0.25,
        note: `ratio to raw ceiling ${ratio.toFixed(3)}; ${c.n} in ${c.seconds.toFixed(2)} s; failed jobs ${c.failedJobs}; pre-fill ${c.prefillSeconds.toFixed(1)} s; workers up in ${c.startupMs} ms`,
      },
      c.cpu,
      `${(c.perSecond / c.workers).toFixed(0)} incidents/s per worker process; ${perItem(c.cpu, c.n, 'incident')} (vs ${rawMid ? perItem(rawMid.cpu, 20_000, 'raw no-op job') : '(a) not run'})`,
    );
    if (c.failedJobs > 0) anomalies.push(`(c) ${workers}: ${c.failedJobs} failed jobs`);
    if (c.warnings.length) anomalies.push(`(c) ${workers} worker warnings: ${c.warnings.join(' / ')}`);
  }

  // (d) latency at a steady 200/s, API + one worker
  if (runs('d')) {
    log('(d) accept-to-stored latency: open loop at 200/s, 2 s warm-up + 15 s, API + 1 worker');
    const d = await measureLatency();
    log(`(d) p50 ${round(d.p50Ms, 1)} ms p99 ${round(d.p99Ms, 1)} ms (stored ${d.stored}/${d.accepted}); ${formatCpu(d.cpu)}`);
    const split = `POST→row stored by API p50 ${round(d.acceptP50Ms, 1)} / p99 ${round(d.acceptP99Ms, 1)} ms; API row→ingested p50 ${round(d.queueP50Ms, 1)} / p99 ${round(d.queueP99Ms, 1)} ms; HTTP 202 p99 ${round(d.httpP99Ms, 1)} ms`;
    const dNote = `${d.sent} sent, ${d.accepted} accepted, ${d.stored} stored; max ${round(d.maxMs, 1)} ms; max send lag ${round(d.maxSendLagMs, 1)} ms; ${split}`;
    const worst = [...d.timeline].sort((a, b) => b.max - a.max).slice(0, 3);
    const worstText = `worst seconds (s: p50/max accept→stored, max HTTP): ${worst.map((w) => `${w.second}: ${round(w.p50)}/${round(w.max)}, ${round(w.httpMax)}`).join('; ')}`;
    log(`(d) per second (s: n p50/max ms): ${d.timeline.map((w) => `${w.second}: ${w.n} ${round(w.p50)}/${round(w.max)}`).join(' | ')}`);
    add({ name: '(d) accept→stored p50 at 200/s', value: round(d.p50Ms, 1), unit: 'ms', note: `${dNote}; ${worstText}` });
    add({ name: '(d) accept→stored p99 at 200/s', value: round(d.p99Ms, 1), unit: 'ms', target: '≤ 100', met: d.p99Ms <= 100 && d.stored === d.accepted }, d.cpu, `${split}; ${worstText}`);
    if (d.tally.errors > 0) anomalies.push(`(d) ${d.tally.errors} non-202 answers: ${JSON.stringify(d.tally.byStatus)}; ${d.tally.samples.join(' | ')}`);
    if (d.stored < d.accepted) anomalies.push(`(d) only ${d.stored} of ${d.accepted} accepted incidents were stored within 30 s`);
    if (d.warnings.length) anomalies.push(`(d) warnings: ${d.warnings.join(' / ')}`);
  }

  // (f) tickets/s end to end against the simulators (20 ms answers), 1 and 2 worker processes; (g) renderers
  for (const workerCount of runs('f') ? [1, 2] : []) {
    log(`(f) tickets end to end, ${workerCount} worker process(es)`);
    const t = await measureTickets(workerCount);
    const ratio = t.perSecond / raw;
    add(
      {
        name: `(f) tickets/s queued→reference stored, ${workerCount} worker process${workerCount > 1 ? 'es' : ''}`,
        value: round(t.perSecond),
        unit: 'tickets/s',
        ...(workerCount === 1 ? { target: '≥ 300', met: t.perSecond >= 300 } : {}),
        note: `${raws.length ? `ratio to raw ceiling ${ratio.toFixed(3)}; ` : ''}${t.tickets} tickets (Jira Cloud + ServiceNow) in ${round(t.seconds, 2)} s; ${formatCpu(t.cpu)}`,
      },
      t.cpu,
    );
    if (workerCount === 1) cpuPerTicketRow(t.cpu, t.tickets, workerCount);
  }
  if (runs('f')) {
    log('(f) push alone: the incidents ingested first by a --role ingest worker, then 1 push worker process');
    const p = await measureTickets(1, 1500, true);
    cpuPerTicketRow(p.cpu, p.tickets, 1, 'push');
  }
  if (runs('l')) {
    log('(l) round trips to PostgreSQL per ticket in the push path (ingested first by a --role ingest worker)');
    const l = await measureRoundTrips();
    const kinds = Object.entries(l.kinds).map(([k, v]) => `${k} ${round(v, 2)}`).join(', ');
    add({ name: '(l) round trips to PostgreSQL per ticket in the push worker, happy path, one at a time', value: round(l.sequential, 2), unit: 'statements', target: '≤ 3', met: l.sequential <= 3, note: `${l.tickets} tickets (Jira Cloud + ServiceNow, simulators answering at once); statements per ticket by their first words: ${kinds}; the settings re-read and health check (integration_settings) are per second, not per ticket: ${round(l.periodic.perSecond, 2)}/s, ${round(l.periodic.perTicket, 3)} per ticket at this one-at-a-time rate, not counted in the value` });
    add({ name: '(l) the same, 50 pushes at once (group commit shares the read, lease and settle statements)', value: round(l.concurrent, 2), unit: 'statements', note: 'every statement any pg client of the push path sent (periodic reads included), divided by the tickets made' });
  }
  if (runs('m')) {
    log('(m) POST → ticket reference stored, 20 incidents/s, simulators answering in 200 ms, one push worker');
    const m = await measureTicketLatency();
    add({
      name: '(m) POST /v1/incidents → ticket reference stored, p99 at 20 incidents/s, remotes answering in 200 ms',
      value: round(m.p99Ms, 1),
      unit: 'ms',
      target: '≤ 300',
      met: m.p99Ms <= 300 && m.tickets === m.expected,
      note: `p50 ${round(m.p50Ms, 1)} ms, max ${round(m.maxMs, 1)} ms; ${m.tickets} of ${m.expected} tickets (Jira Cloud + ServiceNow) stored`,
    });
    if (m.tickets < m.expected) anomalies.push(`(m) only ${m.tickets} of ${m.expected} tickets were stored within 60 s`);
  }
  if (runs('n')) {
    log('(n) a primary dies under 20 incidents/s: PostgreSQL restarted, the Redis primary behind Sentinels killed, a Redis Cluster primary killed');
    for (const c of await measureFailovers(log)) {
      add({
        name: `(n) ${c.what} under 20 incidents/s → first ticket of an incident POSTed after it`,
        value: c.firstTicketMs,
        unit: 'ms',
        note: `${c.what === 'PostgreSQL restarted' ? 'the restart' : 'the promotion'} took ${c.serverMs} ms; ${c.accepted} POSTs answered 202, ${c.refused} refused meanwhile (503); the API and one push worker, not restarted`,
      });
    }
  }
  if (runs('j')) await syncRow();
  if (runs('k')) await incidentListRow();
  if (runs('h')) await retryRows();
  if (runs('i')) await rssGrowthRows();
  if (runs('g')) {
    const renders = measureRenderers();
    const slowest = Math.min(renders.adf, renders.wiki, renders.plain);
    add({
      name: '(g) renderer tickets/s, critical-credential-access.json, one core (slowest of ADF, wiki, plain)',
      value: round(slowest),
      unit: 'tickets/s',
      target: '≥ 2000',
      met: slowest >= 2000,
      note: `ADF ${round(renders.adf)}/s, wiki ${round(renders.wiki)}/s, plain text ${round(renders.plain)}/s`,
    });
  }

  // (e) peak RSS of every worker process started above (all are stopped by now; VmHWM read before SIGTERM)
  const workers = allChildren().filter((c) => c.kind === 'worker');
  if (runs('e') && workers.length > 0) {
    const peak = Math.max(...workers.map((w) => Math.max(w.rssMaxKb, w.hwmKb)));
    const peakOf = workers
      .map((w) => `${w.name} ${round(Math.max(w.rssMaxKb, w.hwmKb) / 1024)} (${round(w.readyRssKb / 1024)} when ready, ${round(w.lastRssKb / 1024)} at the end)`)
      .join(', ');
    const bare = bareTsxRssMb();
    const apiPeak = allChildren().filter((c) => c.kind === 'api').map((a) => `${a.name} ${round(Math.max(a.rssMaxKb, a.hwmKb) / 1024)}`).join(', ');
    add(
      { name: `(e) peak RSS of a worker process (${BENCH_RUNTIME})`, value: round(peak / 1024, 1), unit: 'MB', target: '≤ 150', met: peak / 1024 <= 150, note: `per worker (MB): ${peakOf}; API (MB): ${apiPeak}` },
      undefined,
      `peak per worker process (MB, max of VmHWM and 200 ms VmRSS samples; RSS once registered before any job, and when stopped): ${peakOf}; an empty \`node --import tsx\` process: ${bare} MB`,
    );
  }
  if (runs('e')) {
    const accepting = allChildren().find((c) => c.name === 'api-b');
    if (accepting) {
      const apiMb = Math.max(accepting.rssMaxKb, accepting.hwmKb) / 1024;
      add({ name: `(e) peak RSS of the API under the accept load of (b) (${BENCH_RUNTIME})`, value: round(apiMb, 1), unit: 'MB', target: '≤ 150', met: apiMb <= 150, note: `${round(accepting.readyRssKb / 1024)} MB when ready` });
    }
    const ready = allChildren().filter((c) => c.kind !== 'simulator' && c.readyMs !== undefined);
    if (ready.length > 0) {
      const slowest = Math.max(...ready.map((c) => c.readyMs!));
      add({
        name: `(e) ready after spawn on a migrated database, slowest process (${BENCH_RUNTIME})`, value: slowest, unit: 'ms', target: '≤ 1500', met: slowest <= 1500,
        note: ready.map((c) => `${c.name} ${c.readyMs} ms`).join(', '),
      });
    }
  }
} catch (err) {
  log(`bench failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
} finally {
  stopMemorySampler();
  await stopAll();
  await cleanUpEverything(log);
}

const fmt = (r: Result) => `${r.value.toLocaleString('en-US')} ${r.unit}`;
const lines = [
  '| measure | value | target | met |',
  '| --- | --- | --- | --- |',
  ...results.map((r) => `| ${r.name} | ${fmt(r)} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} |`),
];
process.stdout.write(`\n${lines.join('\n')}\n\n`);
for (const r of results) if (r.name.startsWith('(c)') || r.name.startsWith('(f)')) process.stdout.write(`${r.name}: ${r.note?.split(';')[0]}\n`);
for (const r of results) if (r.note) process.stdout.write(`note ${r.name}: ${r.note}\n`);
for (const w of whereTimeGoes) process.stdout.write(`where the time goes — ${w}\n`);
for (const a of anomalies) process.stdout.write(`anomaly: ${a}\n`);
process.stdout.write(`code measured: HEAD ${code.head}${code.dirty.length ? ` + uncommitted changes in ${code.dirty.length} file(s) under apps/ libs/ prisma/ scripts/ (${code.dirty.slice(0, 8).join(', ')}${code.dirty.length > 8 ? ', …' : ''})` : ''}\n`);
process.stdout.write(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version }, runtime: BENCH_RUNTIME, runAt: new Date(started).toISOString(), code, results, whereTheTimeGoes: whereTimeGoes, anomalies }, null, 2)}\n`,
);
process.exit(process.exitCode ?? 0);
