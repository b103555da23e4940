import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

// The Dockerfile as the production smoke test reads it: stages and instructions, and a replay of the
// steps that can run without a Docker daemon (COPY, and the npm/node parts of RUN) into a directory.

export interface Instruction {
  op: string;
  /** The text after the op, as written. */
  args: string;
  /** The exec form (`["node", "dist/api.js"]`) parsed, when the args are one. */
  exec?: string[];
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  steps: Instruction[];
}

/** Parses the Dockerfile's stages (no line continuations: the file keeps each instruction on one line). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (line.endsWith('\\')) throw new Error(`Dockerfile line ${i + 1}: continuation lines are not replayed; keep each instruction on one line`);
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'FROM') {
      const [, from = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ name: name ?? String(stages.length), from, steps: [] });
      return;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile line ${i + 1}: ${upper} before FROM`);
    const execText = upper === 'HEALTHCHECK' ? args.replace(/^.*?\bCMD\s+/, '') : args;
    const exec = execText.startsWith('[') ? (JSON.parse(execText) as string[]) : undefined;
    stage.steps.push({ op: upper, args, line: i + 1, ...(exec ? { exec } : {}) });
  });
  return stages;
}

/** `.dockerignore` as a predicate on context-relative paths (`*` within one segment, `!` re-includes). */
export function dockerIgnore(text: string): (path: string) => boolean {
  const rules = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => {
    const negate = l.startsWith('!');
    const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
    const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}(/.*)?$`);
    return { negate, regex };
  });
  return (path) => rules.reduce((ignored, r) => (r.regex.test(path) ? !r.negate : ignored), false);
}

/** What a replay needs: the build context, where each stage's `/app` is, and how to run node and npm. */
export interface ReplayOptions {
  context: string;
  stageDir: (stage: string) => string;
  /** Directory holding the `node` to run (first on PATH, so npm runs on it too). */
  nodeBinDir: string;
  ignored: (path: string) => boolean;
  log: (line: string) => void;
}

/**
 * Replays a stage into its directory: `COPY` (from the context, honouring `.dockerignore`, or `--from` an
 * earlier stage's directory) and each `npm …`/`node …` part of a `RUN` (parts joined by `&&`), with the
 * stage's `ENV` so far. Everything else is left to the caller to check. `npm cache clean` is not replayed
 * (it only shrinks the image, and here it would empty the machine's cache).
 * @returns the stage's ENV.
 */
export function replayStage(stage: Stage, o: ReplayOptions): Record<string, string> {
  const dir = o.stageDir(stage.name);
  mkdirSync(dir, { recursive: true });
  const env: Record<string, string> = {};
  for (const step of stage.steps) {
    if (step.op === 'ENV') for (const [, k = '', v = ''] of step.args.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
    if (step.op === 'COPY') copy(step, dir, o);
    if (step.op !== 'RUN') continue;
    for (const part of step.args.split('&&').map((p) => p.trim())) {
      if (!/^(npm|node)\s/.test(part) || /^npm cache clean/.test(part)) continue;
      o.log(`replaying line ${step.line}: ${part}`);
      const [cmd = '', ...args] = part.split(/\s+/);
      execFileSync(cmd, args, {
        cwd: dir,
        stdio: 'pipe',
        // A docker build starts from an empty npm cache; here the machine's cache serves what it has.
        env: { PATH: `${o.nodeBinDir}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/tmp', npm_config_prefer_offline: 'true', ...networkEnv(), ...env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 600_000,
      });
    }
  }
  return env;
}

/**
 * How this machine reaches the npm registry: its proxy settings, and its trust store. The downloaded
 * Node 24 trusts only its own bundled CAs, while the registry may be reached through a proxy whose CA
 * only the system knows (Debian's Node uses the system store); an image build has its own network.
 */
function networkEnv(): Record<string, string> {
  const passed = Object.entries(process.env).filter(([k, v]) => v !== undefined && /^(https?_proxy|no_proxy|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|npm_config_(registry|cafile|proxy|https_proxy|strict_ssl))$/i.test(k));
  const env = Object.fromEntries(passed) as Record<string, string>;
  const system = '/etc/ssl/certs/ca-certificates.crt';
  if (!env.NODE_EXTRA_CA_CERTS && existsSync(system)) env.NODE_EXTRA_CA_CERTS = system;
  return env;
}

function copy(step: Instruction, dir: string, o: ReplayOptions): void {
  const words = step.args.split(/\s+/);
  const from = words[0]?.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
  const dest = words.pop()!;
  for (const src of words) {
    const source = from ? join(o.stageDir(from), src.replace(/^\/app\/?/, '')) : join(o.context, src);
    if (!existsSync(source)) throw new Error(`Dockerfile line ${step.line}: COPY source ${src} does not exist`);
    const target = dest.endsWith('/') ? join(dir, dest, src.split('/').pop()!) : join(dir, dest);
    mkdirSync(dirname(target), { recursive: true });
    if (from) {
      cpSync(source, target, { recursive: true });
      continue;
    }
    cpSync(source, target, {
      recursive: true,
      filter: (path) => !o.ignored(relative(o.context, path)),
    });
  }
}

export const readDockerfile = (context: string) => parseDockerfile(readFileSync(join(context, 'Dockerfile'), 'utf8'));
