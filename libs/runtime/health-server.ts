import { createServer, type Server } from 'node:http';
import type { Logger } from '@rhx/logger';

/** What a worker's health endpoint asks: whether it is still working, and whether its services answer. */
export interface HealthChecks {
  /** False once the process is shutting down or a role stopped: the orchestrator restarts it. */
  alive(): boolean;
  /** Each service the process needs, by name: resolves when it answers. */
  services: Record<string, () => Promise<unknown>>;
}

/**
 * A worker's health endpoint (`WORKER_HEALTH_PORT`), for Kubernetes probes and the image's HEALTHCHECK:
 * `GET /healthz` answers 200 while the process is alive (a wedged event loop does not answer at all,
 * which a probe's timeout catches), `GET /readyz` 200 when Redis and PostgreSQL answer too, else 503
 * naming which did not. Nothing else is served, and no secret or configuration is ever shown.
 */
export async function startHealthServer(port: number, checks: HealthChecks, logger: Pick<Logger, 'info'>): Promise<Server> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) return reply(404, { error: { code: 'NOT_FOUND', message: 'only /healthz and /readyz are served here' } });
    if (!checks.alive()) return reply(503, { status: 'stopping' });
    if (path === '/healthz') return reply(200, { status: 'ok' });
    const names = Object.keys(checks.services);
    void Promise.all(names.map((n) => checks.services[n]!().then(() => 'ok' as const, () => 'unreachable' as const))).then((states) => {
      const ready = states.every((s) => s === 'ok');
      reply(ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', ...Object.fromEntries(names.map((n, i) => [n, states[i]])) });
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '0.0.0.0', () => resolve()));
  logger.info({ port }, 'worker health endpoint listening (/healthz, /readyz)');
  return server;
}
