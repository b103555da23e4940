// Row (k): a page of the incident list (console Incidents page, GET /v1/incidents) at 100,000 incidents,
// unfiltered, deep, and with each filter: the keyset indexes keep every page the cost of one.
import { createPrismaClient, listIncidents, poolOf, type IncidentListFilter } from '@rhx/db';
import { add, log, round } from './report.js';
import { openStage } from './setup.js';

const INCIDENTS = 100_000;
const RUNS = 25;

// 100,000 incidents one second apart, severities cycling; a ticket on every third, a FAILED delivery on one
// in 200 (the rare case the failed filter is for).
const SEED = `
INSERT INTO incidents (id, payload, severity, risk_score, actor_name, actor_type, origin, source, occurred_at, received_at, ingested_at)
SELECT 'BENCH-' || lpad(n::text, 6, '0'), '{}'::json, (ARRAY['LOW','MEDIUM','HIGH','CRITICAL'])[n % 4 + 1], (ARRAY[20,50,75,90])[n % 4 + 1],
       'actor-' || n, 'user', 'auto', 'api', now(), timestamptz '2026-01-01' + n * interval '1 second', now()
FROM generate_series(1, ${INCIDENTS}) AS n;
INSERT INTO ticket_refs (incident_id, system, external_id, remote_id, url)
SELECT 'BENCH-' || lpad(n::text, 6, '0'), 'jira', 'SEC-' || n, n::text, 'https://jira.example/browse/SEC-' || n FROM generate_series(3, ${INCIDENTS}, 3) AS n;
INSERT INTO deliveries (id, incident_id, system, status, trigger, attempts, updated_at)
SELECT gen_random_uuid(), 'BENCH-' || lpad(n::text, 6, '0'), 'jira', CASE WHEN n % 200 = 1 THEN 'FAILED' ELSE 'SUCCEEDED' END, 'auto', 1, now()
FROM generate_series(1, ${INCIDENTS}) AS n WHERE n % 3 = 0 OR n % 200 = 1;
ANALYZE incidents; ANALYZE ticket_refs; ANALYZE deliveries;`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function incidentListRow(): Promise<void> {
  log(`(k) incident list pages at ${INCIDENTS.toLocaleString('en-US')} incidents`);
  const stage = await openStage('list');
  const prisma = createPrismaClient(stage.dbUrl, 2);
  try {
    await stage.pg.query(SEED);
    // A cursor 90% of the way down: where an OFFSET page would have to skip 90,000 rows.
    const deep = { receivedAt: new Date(Date.parse('2026-01-01T00:00:00Z') + 10_000 * 1000), id: 'BENCH-010000' };
    const cases: [string, IncidentListFilter, boolean][] = [
      ['first page', {}, false], ['page after 90,000', {}, true], ['severity=HIGH', { severity: 'HIGH' }, false],
      ['hasTicket=true', { hasTicket: true }, false], ['hasTicket=false', { hasTicket: false }, false],
      ['failed=true', { failed: true }, false], ['failed=true, deep', { failed: true }, true],
    ];
    const timings: string[] = [];
    let worst = 0;
    for (const [name, filter, deepPage] of cases) {
      const page = { limit: 50, ...(deepPage ? { after: deep } : {}) };
      await listIncidents(prisma, filter, page); // warm
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const result = await listIncidents(prisma, filter, page);
        ms.push(performance.now() - started);
        if (result.items.length === 0) throw new Error(`(k) ${name}: an empty page`);
      }
      worst = Math.max(worst, median(ms));
      timings.push(`${name} ${round(median(ms), 1)} ms`);
    }
    log(`(k) medians of ${RUNS}: ${timings.join(', ')}`);
    add({
      name: `(k) incident list page of 50 at ${INCIDENTS.toLocaleString('en-US')} incidents, slowest filter (median)`,
      value: round(worst, 1), unit: 'ms', target: '≤ 50', met: worst <= 50, note: `medians of ${RUNS} runs each: ${timings.join(', ')}`,
    });
  } finally {
    // The list reads through the client's pool, which Prisma's disconnect leaves open when Prisma itself never connected.
    const pool = poolOf(prisma);
    await prisma.$disconnect();
    if (!pool.ended) await pool.end();
    await stage.close();
  }
}
