// A small HTTP load generator on node:http with keep-alive: a closed loop (N clients, each sends the next
// request when the previous one is answered) and an open loop (requests scheduled by the clock).
import http from 'node:http';

export interface Target {
  port: number;
  token: string;
  path: string;
}

export interface Reply {
  status: number;
  body: string;
  /** ms (performance.now()) when the request was written, and when the reply was complete. */
  sentAt: number;
  doneAt: number;
}

export function post(agent: http.Agent, t: Target, body: string): Promise<Reply> {
  return new Promise((resolve) => {
    const payload = Buffer.from(body);
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port: t.port,
        path: t.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${t.token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sentAt, doneAt: performance.now() }));
        res.on('error', (e) => resolve({ status: -1, body: e.message, sentAt, doneAt: performance.now() }));
      },
    );
    req.on('error', (e) => resolve({ status: -1, body: `${e.name}: ${e.message}`, sentAt, doneAt: performance.now() }));
    const sentAt = performance.now();
    req.end(payload);
  });
}

export interface Tally {
  accepted: number;
  errors: number;
  byStatus: Record<string, number>;
  samples: string[];
}

function tally(into: Tally, r: Reply, ok: number): void {
  into.byStatus[r.status] = (into.byStatus[r.status] ?? 0) + 1;
  if (r.status === ok) into.accepted++;
  else {
    into.errors++;
    if (into.samples.length < 5) into.samples.push(`${r.status} ${r.body.slice(0, 200)}`);
  }
}

/**
 * `clients` concurrent loops for `warmupMs + measureMs`; only replies completed inside the measurement
 * window are counted (the warm-up and the tail after the window are not).
 */
export async function closedLoop(
  t: Target,
  clients: number,
  warmupMs: number,
  measureMs: number,
  makeBody: (n: number) => string,
): Promise<Tally & { seconds: number; sent: number; latencyMs: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const start = performance.now();
  const from = start + warmupMs;
  const until = from + measureMs;
  const result: Tally = { accepted: 0, errors: 0, byStatus: {}, samples: [] };
  const latencyMs: number[] = [];
  let n = 0;
  const loop = async () => {
    while (performance.now() < until) {
      const r = await post(agent, t, makeBody(n++));
      if (r.doneAt >= from && r.doneAt < until) {
        tally(result, r, 202);
        latencyMs.push(r.doneAt - r.sentAt);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  agent.destroy();
  return { ...result, seconds: measureMs / 1000, sent: n, latencyMs };
}

/**
 * Open loop: request i is due at start + i/rate seconds, whatever happened to the earlier ones. A 1 ms
 * timer sends everything that is due; `sentAt` is the moment each request was written (epoch ms).
 */
export async function openLoop(
  t: Target,
  ratePerSecond: number,
  durationMs: number,
  makeBody: (n: number) => string,
): Promise<Tally & { sent: { n: number; sentEpochMs: number; status: number; acceptMs: number }[]; maxLagMs: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round((ratePerSecond * durationMs) / 1000);
  const interval = 1000 / ratePerSecond;
  const start = performance.now();
  const result: Tally = { accepted: 0, errors: 0, byStatus: {}, samples: [] };
  const sent: { n: number; sentEpochMs: number; status: number; acceptMs: number }[] = [];
  const pending: Promise<void>[] = [];
  let next = 0;
  let maxLagMs = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        const n = next++;
        maxLagMs = Math.max(maxLagMs, now - (start + n * interval));
        const body = makeBody(n);
        pending.push(
          post(agent, t, body).then((r) => {
            tally(result, r, 202);
            sent.push({ n, sentEpochMs: performance.timeOrigin + r.sentAt, status: r.status, acceptMs: r.doneAt - r.sentAt });
          }),
        );
      }
      if (next >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(1, start + next * interval - performance.now())));
    };
    tick();
  });
  await Promise.all(pending);
  agent.destroy();
  return { ...result, sent, maxLagMs };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}
