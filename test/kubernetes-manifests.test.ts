import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { Ajv } from 'ajv';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { envSchema, parseConfig } from '@rhx/config';
import { keyLayout } from '@rhx/queue';
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
const sameLabels = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
/** `256Mi`, `1Gi`, `512M` → bytes. */
const bytes = (quantity: string) => {
  const [, n = 'NaN', unit = ''] = /^(\d+)(Ki|Mi|Gi|k|M|G)?$/.exec(quantity) ?? [];
  return Number(n) * ({ '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 } as Record<string, number>)[unit]!;
};
// Peak RSS measured by bench row (e) before the build (targets: 150 MB each). Revise with the manifests' resources.
const PEAK_RSS_MB = { api: 320, worker: 250 };
/** What KEDA's `redis` scaler needs of a ScaledObject; KEDA's CRD schema types trigger metadata as any strings. */
const REDIS_TRIGGER_SCHEMA = {
  type: 'object',
  required: ['scaleTargetRef', 'triggers'],
  properties: {
    scaleTargetRef: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
    triggers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['type', 'metadata'],
        properties: {
          type: { const: 'redis' },
          metadata: {
            type: 'object',
            required: ['address', 'listName', 'listLength'],
            properties: {
              address: { type: 'string', pattern: '^[^:/]+:\\d+$' },
              listName: { type: 'string', minLength: 1 },
              listLength: { type: 'string', pattern: '^[1-9]\\d*$' },
            },
          },
        },
      },
    },
  },
};

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

  test('the migration Job runs to completion once, apart from the fleet (no Deployment waits for it)', () => {
    const job = migrate.find((m) => m.kind === 'Job')!;
    expect(['Never', 'OnFailure']).toContain(job.spec.template.spec.restartPolicy);
    expect(fleet.filter((m) => m.kind === 'Job').map((m) => m.metadata.name)).toEqual([]);
    expect(deployments.filter((d) => d.spec.template.spec.initContainers).map((d) => d.metadata.name)).toEqual([]);
  });

  test('every container runs as non-root with a read-only root and /tmp writable, with memory limits', () => {
    for (const { spec, c } of containers) {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(c.resources.limits.memory).toMatch(/^\d+Mi$/);
    }
  });

  test('memory limits at or above the requests and above the measured peak RSS', () => {
    const offenders = containers.filter(({ name }) => name !== 'rhx-migrate').filter(({ name, c }) => {
      const { requests, limits } = c.resources;
      const peak = name === 'rhx-api' ? PEAK_RSS_MB.api : PEAK_RSS_MB.worker;
      return !/^\d+m$/.test(requests.cpu) || bytes(limits.memory) < bytes(requests.memory) || bytes(limits.memory) <= peak * 1e6;
    });
    expect(offenders.map((x) => x.name)).toEqual([]);
  });

  test('each Service sends its port to a named container port of the Deployment it selects', () => {
    for (const service of of('Service')) {
      const target = deployments.find((d) => sameLabels(d.spec.selector.matchLabels, service.spec.selector));
      const ports = target?.spec.template.spec.containers.flatMap((c: { ports?: { name: string; containerPort: number }[] }) => c.ports ?? []) ?? [];
      for (const p of service.spec.ports) {
        expect([service.metadata.name, ports.find((cp: { name: string }) => cp.name === p.targetPort)?.containerPort]).toEqual([service.metadata.name, p.port]);
      }
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

  test('every container\'s environment, with the Secret mounted, is a configuration the application accepts', () => {
    // The placeholders stand in for the operator's values, except the key, which must be 32 bytes of base64.
    const dir = mkdtempSync(join(tmpdir(), 'rhx-secrets-'));
    for (const [key, value] of Object.entries(secret)) {
      writeFileSync(join(dir, key), key === 'SETTINGS_ENCRYPTION_KEY' ? randomBytes(32).toString('base64') : value);
    }
    const refused = containers.flatMap(({ name, c }) => {
      const env: Record<string, string> = { ...config, ...Object.fromEntries((c.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value])) };
      for (const [k, v] of Object.entries(env)) env[k] = v.replace('/run/secrets/rhx', dir);
      try {
        parseConfig(env);
        return [];
      } catch (err) {
        return [`${name}: ${(err as Error).message}`];
      }
    });
    rmSync(dir, { recursive: true });
    expect(refused).toEqual([]);
  });

  test('the Secret holds placeholders only', () => {
    expect(Object.entries(secret).filter(([, value]) => !value.includes('CHANGE-ME'))).toEqual([]);
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
      const target = deployments.find((d) => sameLabels(d.spec.selector.matchLabels, pdb.spec.selector.matchLabels));
      expect([pdb.metadata.name, target?.spec.replicas]).toEqual([pdb.metadata.name, expect.any(Number)]);
      expect(target!.spec.replicas).toBeGreaterThan(pdb.spec.minAvailable);
    }
  });

  test('the KEDA redis trigger names a list, its length and a Redis (its CRD schema types metadata as any strings)', () => {
    const validateTrigger = new Ajv({ allErrors: true }).compile(REDIS_TRIGGER_SCHEMA);
    for (const so of of('ScaledObject')) {
      expect([so.metadata.name, validateTrigger(so.spec) ? [] : validateTrigger.errors]).toEqual([so.metadata.name, []]);
    }
    const broken = structuredClone(of('ScaledObject')[0]!);
    delete broken.spec.triggers[0].metadata.listLength;
    expect(validateTrigger(broken.spec)).toBe(false);
  });

  test('the Sentinel form (keda-sentinel/, used instead of keda/) is a valid ScaledObject on the same list, asking the Sentinels the fleet is configured with', () => {
    const [so, ...others] = render(join(BASE, 'keda-sentinel'));
    expect(others).toEqual([]);
    validate(so!);
    const config = of('ConfigMap')[0]!.data!;
    expect(so!.spec.scaleTargetRef.name).toBe(of('ScaledObject')[0]!.spec.scaleTargetRef.name);
    const trigger = so!.spec.triggers[0];
    expect(trigger).toMatchObject({ type: 'redis-sentinel', metadata: { listName: `${config.QUEUE_PREFIX}:ticket-push:wait`, listLength: '200' } });
    // What the fleet would be given: REDIS_SENTINELS and REDIS_SENTINEL_NAME parse with the fleet's own loader.
    const sentinels = String(trigger.metadata.addresses).split(',').map((a: string) => a.trim());
    const parsed = parseConfig({ NODE_ENV: 'test', REDIS_URL: config.REDIS_URL, REDIS_SENTINELS: sentinels.join(','), REDIS_SENTINEL_NAME: trigger.metadata.sentinelMaster });
    expect(parsed.REDIS_URL).toMatch(new RegExp(`^redis\\+sentinel://${sentinels.join(',')}/${trigger.metadata.sentinelMaster}`));
  });

  test('the Cluster form (keda-cluster/) is a valid ScaledObject on the list where the fleet keeps it on Cluster, asking the nodes it is configured with', () => {
    const [so, ...others] = render(join(BASE, 'keda-cluster'));
    expect(others).toEqual([]);
    validate(so!);
    const config = of('ConfigMap')[0]!.data!;
    expect(so!.spec.scaleTargetRef.name).toBe(of('ScaledObject')[0]!.spec.scaleTargetRef.name);
    const trigger = so!.spec.triggers[0];
    const nodes = String(trigger.metadata.addresses).split(',').map((a: string) => a.trim());
    const parsed = parseConfig({ NODE_ENV: 'test', REDIS_URL: config.REDIS_URL, REDIS_CLUSTER_NODES: nodes.join(','), QUEUE_PREFIX: config.QUEUE_PREFIX });
    expect(parsed.REDIS_URL).toBe(`redis+cluster://${nodes.join(',')}`);
    // The list BullMQ keeps for ticket-push under the fleet's own Cluster layout.
    const wait = `${keyLayout(parsed.QUEUE_PREFIX, true).queue('ticket-push')}:ticket-push:wait`;
    expect(trigger).toMatchObject({ type: 'redis-cluster', metadata: { listName: wait, listLength: '200' } });
  });

  test('KEDA scales the push Deployment on the BullMQ wait list of ticket-push, from one', () => {
    const so = of('ScaledObject')[0]!;
    const config = of('ConfigMap')[0]!.data!;
    expect(so.spec.scaleTargetRef.name).toBe('rhx-worker-push');
    expect(deployments.map((d) => d.metadata.name)).toContain(so.spec.scaleTargetRef.name);
    expect([so.spec.minReplicaCount, so.spec.maxReplicaCount]).toEqual([1, 10]);
    expect(so.spec.triggers[0]).toMatchObject({ type: 'redis', metadata: { listName: `${config.QUEUE_PREFIX}:ticket-push:wait` } });
    expect(new URL(config.REDIS_URL!).host).toBe(so.spec.triggers[0].metadata.address);
  });
});

