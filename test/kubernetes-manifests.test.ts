import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { envSchema } from '@rhx/config';
import { FILE_VARIABLES, SECRET_VARIABLES } from '../libs/config/env.schema.js';
import { ROLES } from '../apps/worker/src/roles.js';
import { WORKER_NODE_FLAGS } from '../apps/worker/src/node-flags.js';
import { ENTRY_POINTS } from '../scripts/build-entries.js';
import { readDockerfile } from './dockerfile.js';

// deploy/kubernetes against the Kubernetes API schemas (kubernetes-models, and KEDA's for the
// ScaledObject), and against what the application really serves: image, commands, ports, probe paths,
// variables. kubectl is not on this machine, so kustomize's resource lists are followed by hand.
const BASE = join(process.cwd(), 'deploy/kubernetes');

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string>; stringData?: Record<string, string> };
type Kustomization = { resources?: string[]; components?: string[]; images?: { name: string; newTag: string }[] };

/** Every manifest a kustomization renders: its resources and its components' resources, recursively. */
function render(dir: string): Manifest[] {
  const k = parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as Kustomization;
  return [...(k.resources ?? []), ...(k.components ?? [])].flatMap((entry) => {
    const path = join(dir, entry);
    if (!entry.endsWith('.yaml')) return render(path);
    return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as Manifest);
  });
}

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment, 'v1/Service': Service, 'v1/ConfigMap': ConfigMap, 'v1/Secret': Secret,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget, 'keda.sh/v1alpha1/ScaledObject': ScaledObject, 'batch/v1/Job': Job,
};
const validate = (m: Manifest) => {
  const Model = MODELS[`${m.apiVersion}/${m.kind}`];
  if (!Model) throw new Error(`${m.kind} ${m.metadata.name}: no schema for ${m.apiVersion}/${m.kind}`);
  new Model(m).validate();
};

const fleet = render(BASE);
const migrate = render(join(BASE, 'migrate'));
const all = [...fleet, ...migrate];
const of = (kind: string) => fleet.filter((m) => m.kind === kind);
const deployments = of('Deployment');
const containers = [...deployments, ...migrate.filter((m) => m.kind === 'Job')].map((d) => ({ name: d.metadata.name, spec: d.spec.template.spec, c: d.spec.template.spec.containers[0] }));
const runtime = readDockerfile(process.cwd()).at(-1)!;
const imageName = (dir: string) => (parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as Kustomization).images![0]!.name;

describe('every manifest validates against the Kubernetes API schemas', () => {
  test.each(all.map((m) => [`${m.kind} ${m.metadata.name}`, m] as const))('%s', (_name, m) => {
    expect(() => validate(m)).not.toThrow();
  });

  test('a wrong type is refused (the validation is real)', () => {
    const broken = structuredClone(deployments[0]!);
    broken.spec.replicas = 'two';
    expect(() => validate(broken)).toThrow(/replicas must be integer/);
  });
});

describe('the manifests run what the image holds', () => {
  test('every container runs the kustomize image, with a command the build produces', () => {
    const built = Object.keys(ENTRY_POINTS).map((name) => `dist/${name}.js`);
    for (const { name, c } of containers) {
      expect([name, c.image]).toEqual([name, imageName(name === 'rhx-migrate' ? join(BASE, 'migrate') : BASE)]);
      expect(built).toContain(c.command.find((a: string) => a.startsWith('dist/')));
      expect(c.command[0]).toBe('node');
    }
  });

  test('the API runs the image\'s CMD on API_PORT\'s default, probed on the paths the API serves', () => {
    const api = containers.find((x) => x.name === 'rhx-api')!.c;
    const routes = readFileSync(join(process.cwd(), 'apps/api/src/routes/health.routes.ts'), 'utf8');
    expect(api.command).toEqual(runtime.steps.find((s) => s.op === 'CMD')!.exec);
    expect(api.ports[0].containerPort).toBe(envSchema.shape.API_PORT.parse(undefined));
    expect(api.env).toContainEqual({ name: 'API_HOST', value: '0.0.0.0' });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) expect(routes).toContain(`'${api[probe].httpGet.path}'`);
    expect(api.readinessProbe.httpGet.path).toBe('/readyz');
    const service = of('Service')[0]!;
    expect(service.spec.selector).toEqual(deployments.find((d) => d.metadata.name === 'rhx-api')!.spec.selector.matchLabels);
  });

  test('one Deployment per worker role, each with the worker flags, its health port set and probed', () => {
    const workers = containers.filter((x) => x.c.command.includes('dist/worker.js'));
    expect(workers.map((w) => w.c.command.at(-1)).sort()).toEqual([...ROLES].sort());
    const health = readFileSync(join(process.cwd(), 'libs/runtime/health-server.ts'), 'utf8');
    for (const { c, spec } of workers) {
      expect(c.command.slice(0, -2)).toEqual(['node', ...WORKER_NODE_FLAGS, 'dist/worker.js']);
      const port = Number(c.env.find((e: { name: string }) => e.name === 'WORKER_HEALTH_PORT').value);
      expect(c.ports[0].containerPort).toBe(port);
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        expect(c[probe].httpGet.port).toBe(c.ports[0].name);
        expect(health).toContain(`'${c[probe].httpGet.path}'`);
      }
      // A worker drains for up to 7 s and stops itself at 9 s (libs/runtime onShutdown).
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(9);
    }
  });

  test('every container runs as non-root with a read-only root and /tmp writable, with memory limits', () => {
    for (const { spec, c } of containers) {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(c.resources.limits.memory).toMatch(/^\d+Mi$/);
    }
  });
});

describe('configuration and secrets', () => {
  const config = of('ConfigMap')[0]!.data!;
  const secret = of('Secret')[0]!.stringData!;

  test('every ConfigMap variable is one the environment schema knows, or a secret\'s <NAME>_FILE', () => {
    const known = new Set([...Object.keys(envSchema.shape), ...FILE_VARIABLES.map((v) => `${v}_FILE`), 'NODE_ENV']);
    expect(Object.keys(config).filter((k) => !known.has(k))).toEqual([]);
    // No secret's value in the ConfigMap; each secret comes from its file in the mounted Secret.
    expect(Object.keys(config).filter((k) => (SECRET_VARIABLES as readonly string[]).includes(k) || k === 'DATABASE_URL')).toEqual([]);
    for (const [k, path] of Object.entries(config).filter(([key]) => key.endsWith('_FILE'))) {
      expect(path).toBe(`/run/secrets/rhx/${k.slice(0, -'_FILE'.length)}`);
      expect(Object.keys(secret)).toContain(k.slice(0, -'_FILE'.length));
    }
  });

  test('every Secret key is read through a <NAME>_FILE the ConfigMap sets, and mounted where it points', () => {
    for (const key of Object.keys(secret)) expect(config[`${key}_FILE`]).toBe(`/run/secrets/rhx/${key}`);
    for (const { c, spec } of containers) {
      expect(c.volumeMounts).toContainEqual({ name: 'secrets', mountPath: '/run/secrets/rhx', readOnly: true });
      expect(spec.volumes).toContainEqual({ name: 'secrets', secret: { secretName: 'rhx-secrets' } });
    }
  });
});

describe('disruption and scaling', () => {
  test('each PodDisruptionBudget selects an existing Deployment with more than one replica', () => {
    for (const pdb of of('PodDisruptionBudget')) {
      const target = deployments.find((d) => JSON.stringify(d.spec.selector.matchLabels) === JSON.stringify(pdb.spec.selector.matchLabels));
      expect([pdb.metadata.name, target?.spec.replicas]).toEqual([pdb.metadata.name, expect.any(Number)]);
      expect(target!.spec.replicas).toBeGreaterThan(pdb.spec.minAvailable);
    }
  });

  test('KEDA scales the push Deployment on the BullMQ wait list of ticket-push, from one', () => {
    const so = of('ScaledObject')[0]!;
    const config = of('ConfigMap')[0]!.data!;
    expect(so.spec.scaleTargetRef.name).toBe('rhx-worker-push');
    expect(deployments.map((d) => d.metadata.name)).toContain(so.spec.scaleTargetRef.name);
    expect(so.spec.minReplicaCount).toBe(1);
    expect(so.spec.triggers[0]).toMatchObject({ type: 'redis', metadata: { listName: `${config.QUEUE_PREFIX}:ticket-push:wait` } });
    expect(new URL(config.REDIS_URL!).host).toBe(so.spec.triggers[0].metadata.address);
  });
});

