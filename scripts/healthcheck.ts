// The image's HEALTHCHECK (`node dist/healthcheck.js`): one image runs the API or a worker, so it asks
// the API's `/healthz` and then a worker's; the first that answers 200 makes the container healthy.
// Exits 0 when healthy, 1 otherwise, within 3 s.
import { request } from 'node:http';

const ports = [process.env.API_PORT || '8080', process.env.WORKER_HEALTH_PORT || '8081'];

function healthy(port: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: Number(port), path: '/healthz', timeout: 1500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

let ok = false;
for (const port of ports) if (!ok && port !== '0') ok = await healthy(port);
process.exit(ok ? 0 : 1);
