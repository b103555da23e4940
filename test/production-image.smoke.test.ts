import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { TEST_REDIS_URL, createTestDatabase, ensureNode24, startJiraSimulator, uniqueName, type JiraSimulator } from '@rhx/testing';
import { ROLES } from '../apps/worker/src/roles.js';
import { WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { API_NODE_FLAGS } from '../apps/api/src/node-flags.js';
import { dockerIgnore, readDockerfile, replayStage, type Stage } from './dockerfile.js';
import { readFixture } from './harness.js';

// The production smoke test (issue 15): no Docker daemon is reachable here, so the Dockerfile's own
// steps are followed outside the checkout (COPY and the npm/node RUN lines replayed; FROM, USER, apt,
// ENTRYPOINT, CMD and HEALTHCHECK checked), then the image's commands run on Node 24 against the real
// Redis and PostgreSQL and a simulated Jira: one incident in, one ticket out.
const CONTEXT = process.cwd();
const stages = readDockerfile(CONTEXT);
const runtime = stages.at(-1)!;
const build = stages.find((s) => s.name === 'build')!;
const step = (stage: Stage, op: string) => stage.steps.filter((s) => s.op === op);

let root: string;
let node24: string;
let imageEnv: Record<string, string>;
let db: { url: string; drop: () => Promise<void> };
let jira: JiraSimulator;
const children: ChildProcess[] = [];
const appDir = () => join(root, 'runtime');

beforeAll(async () => {
  node24 = ensureNode24();
  root = mkdtempSync(join(tmpdir(), 'rhx-image-'));
  const options = {
    context: CONTEXT,
    stageDir: (name: string) => join(root, name),
    nodeBinDir: dirname(node24),
    ignored: dockerIgnore(readFileSync(join(CONTEXT, '.dockerignore'), 'utf8')),
    log: (line: string) => process.stderr.write(`[image] ${line}\n`),
  };
  for (const stage of stages) imageEnv = replayStage(stage, options);
  db = await createTestDatabase();
  jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bot@acme.example', apiToken: 'jira-smoke-token-77' });
}, 900_000);

afterAll(async () => {
  for (const c of children) if (c.pid) process.kill(-c.pid, 'SIGKILL');
  await jira?.close();
  await db?.drop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the Dockerfile', () => {
  test('two stages on Node 24; the runtime one as the non-root node user under tini, NODE_ENV=production, a HEALTHCHECK', () => {
    expect(stages.map((s) => s.from)).toEqual(['node:24-slim', 'node:24-slim']);
    expect(step(runtime, 'USER').map((s) => s.args)).toEqual(['node']);
    expect(step(runtime, 'ENTRYPOINT')[0]!.exec).toEqual(['/usr/bin/tini', '--']);
    expect(step(runtime, 'RUN').some((s) => /apt-get install -y --no-install-recommends tini\b/.test(s.args))).toBe(true);
    expect(imageEnv.NODE_ENV).toBe('production');
    expect(step(runtime, 'CMD')[0]!.exec).toEqual(['node', ...API_NODE_FLAGS, 'dist/api.js']);
    expect(step(runtime, 'HEALTHCHECK')[0]!.exec).toEqual(['node', 'dist/healthcheck.js']);
    // Production dependencies only, and no install scripts: prisma (a dev dependency) cannot run there.
    expect(step(runtime, 'RUN').some((s) => s.args.includes('npm ci --omit=dev --omit=optional --ignore-scripts'))).toBe(true);
    expect(step(build, 'RUN').map((s) => s.args)).toContain('npm run build');
  });

  test('the runtime holds the build and the files read at run time, and neither tsx nor typescript', () => {
    const canImport = (pkg: string) => {
      try {
        execFileSync(node24, ['--input-type=module', '-e', `await import(${JSON.stringify(pkg)})`], { cwd: appDir(), stdio: 'pipe' });
        return true;
      } catch {
        return false;
      }
    };
    expect(canImport('tsx')).toBe(false);
    expect(canImport('typescript')).toBe(false);
    expect(canImport('pg')).toBe(true);
    for (const file of ['dist/api.js', 'dist/worker.js', 'dist/db-migrate.js', 'dist/healthcheck.js', 'prisma/migrations/migration_lock.toml', 'apps/api/src/console/views/layout.eta', 'apps/api/src/console/assets/console.css']) {
      expect(() => readFileSync(join(appDir(), file))).not.toThrow();
    }
  });
});

describe('the image, run on Node 24 with its own commands', () => {
  test('API and a push worker start, report healthy, and one incident becomes one Jira ticket', async () => {
    const [apiPort, healthPort] = [await freePort(), await freePort()];
    const env = {
      ...imageEnv, ENV_FILE: '/dev/null', HOME: tmpdir(), API_HOST: '127.0.0.1', API_PORT: String(apiPort), WORKER_HEALTH_PORT: String(healthPort),
      DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniqueName('rhxsmoke'), API_TOKEN: 'smoke-api-token-0123456789',
      SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), JIRA_ENABLED: 'true', JIRA_URL: jira.url, JIRA_EMAIL: 'bot@acme.example',
      JIRA_API_TOKEN: 'jira-smoke-token-77', JIRA_PROJECT_KEY: 'SEC', AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_TARGETS: 'jira', AUTO_PUSH_MIN_SEVERITY: 'LOW',
    };
    const cmd = step(runtime, 'CMD')[0]!.exec!;
    const api = start([...cmd.slice(1)], env);
    await waitFor(async () => (await get(apiPort, '/readyz')).status === 200, 60_000, api);
    // The worker command the compose file and the manifests use: the image's node with the worker flags.
    const worker = start([...WORKER_NODE_FLAGS, 'dist/worker.js', '--role', 'push'], env);
    await waitFor(async () => (await get(healthPort, '/readyz').catch(() => ({ status: 0 }))).status === 200, 60_000, worker);
    expect(execFileSync(node24, ['dist/healthcheck.js'], { cwd: appDir(), env: { PATH: '', API_PORT: '1', WORKER_HEALTH_PORT: String(healthPort) } })).toBeDefined();

    const incident = { ...readFixture('high-lateral-movement.json'), id: 'INC-SMOKE-1' };
    const posted = await fetch(`http://127.0.0.1:${apiPort}/v1/incidents`, {
      method: 'POST', headers: { authorization: `Bearer ${env.API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(incident),
    });
    expect(posted.status).toBe(202);
    const view = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${apiPort}/v1/incidents/INC-SMOKE-1`, { headers: { authorization: `Bearer ${env.API_TOKEN}` } });
      const body = (await res.json()) as { tickets?: { externalId: string }[] };
      return body.tickets?.length ? body : undefined;
    }, 60_000, worker);
    expect(jira.issues()).toHaveLength(1);
    expect(view.tickets![0]!.externalId).toBe(jira.issues()[0]!.key);
    // Built code serves the console's views and assets from the files the image copies.
    expect((await get(apiPort, '/console/sign-in')).status).toBe(200);
    expect((await get(apiPort, '/console/assets/console.css')).status).toBe(200);
  }, 180_000);
});

describe('docker-compose.yml runs that image', () => {
  const compose = parseYaml(readFileSync(join(CONTEXT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { build?: string; image?: string; command?: string[]; volumes?: string[]; deploy?: { replicas?: number }; environment?: Record<string, string> }>;
  };
  const fleet = Object.entries(compose.services).filter(([, s]) => s.image === compose.services.api!.image);

  test('the API builds the image from this Dockerfile; no service mounts the source', () => {
    expect(compose.services.api).toMatchObject({ build: '.', command: step(runtime, 'CMD')[0]!.exec });
    for (const [, s] of fleet) expect(s.volumes ?? []).toEqual([]);
    // `.env` is written for processes on the host (API_HOST=127.0.0.1): the container's own address wins.
    expect(compose.services.api!.environment).toMatchObject({ API_HOST: '0.0.0.0', REDIS_URL: 'redis://redis:6379' });
  });

  test('one service per worker role, each with the worker command; two push workers', () => {
    const roles = fleet.filter(([, s]) => s.command?.includes('dist/worker.js')).map(([, s]) => {
      expect(s.command!.slice(0, -2)).toEqual(['node', ...WORKER_NODE_FLAGS, 'dist/worker.js']);
      return s.command!.at(-1);
    });
    expect([...roles].sort()).toEqual([...ROLES].sort());
    expect(compose.services.push!.deploy?.replicas).toBeGreaterThanOrEqual(2);
  });
});

function start(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(node24, args, { cwd: appDir(), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  (child as ChildProcess & { output: () => string }).output = () => out;
  children.push(child);
  return child;
}

async function waitFor<T>(check: () => Promise<T | undefined | false>, ms: number, child: ChildProcess): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`not ready (${child.exitCode !== null ? `exited ${child.exitCode}` : 'timed out'}):\n${(child as ChildProcess & { output: () => string }).output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function get(port: number, path: string): Promise<{ status: number }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { redirect: 'manual' });
  await res.arrayBuffer();
  return { status: res.status };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}
