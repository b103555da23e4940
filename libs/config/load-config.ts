import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { fieldProblems } from '@rhx/domain';
import { FILE_VARIABLES, crossFieldProblems, envSchema, type Config } from './env.schema.js';
import { SYSTEM_ENV } from './system-env.js';
import { clusterUrl, sentinelUrl } from './env-values.js';

/** Thrown when the environment is invalid; `problems` names every bad variable. */
export class ConfigError extends Error {
  readonly problems: { variable: string; message: string }[];
  constructor(problems: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable} ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Parses `env` (variables that are empty strings count as unset) into a frozen {@link Config}.
 * @throws ConfigError listing every problem at once.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') cleaned[key] = value;
  const fileProblems = [...readSecretFiles(cleaned), ...pemFileProblems(cleaned)];
  const result = envSchema.safeParse(cleaned);
  const problems = [...fileProblems, ...(result.success ? [] : fieldProblems(result.error)), ...crossFieldProblems(cleaned)];
  if (!result.success || problems.length > 0) {
    throw new ConfigError(problems.map((p) => ({ variable: p.path.split(/[.[]/)[0] ?? p.path, message: p.message })));
  }
  // Every process and library is given one Redis URL: with Sentinels the `redis+sentinel://` form, on
  // Cluster the `redis+cluster://` one.
  const { REDIS_SENTINELS, REDIS_SENTINEL_NAME, REDIS_SENTINEL_PASSWORD, REDIS_CLUSTER_NODES } = result.data;
  const redis = REDIS_SENTINELS
    ? { REDIS_URL: sentinelUrl(result.data.REDIS_URL, REDIS_SENTINELS, REDIS_SENTINEL_NAME, REDIS_SENTINEL_PASSWORD) }
    : REDIS_CLUSTER_NODES ? { REDIS_URL: clusterUrl(result.data.REDIS_URL, REDIS_CLUSTER_NODES) } : {};
  return Object.freeze({ ...result.data, ...redis });
}

/**
 * `<NAME>_FILE` for each of {@link FILE_VARIABLES}: the file's content becomes `<NAME>` (one trailing line
 * break dropped, as secret files are usually written), in place in `env`. Setting both is refused, as is a
 * file that cannot be read or is empty; the problem names the variable and the path, never the content.
 */
function readSecretFiles(env: Record<string, string>): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined) continue;
    if (env[name] !== undefined) {
      problems.push({ path: `${name}_FILE`, message: `and ${name} are both set: set one of them` });
      continue;
    }
    try {
      const value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      if (value === '') problems.push({ path: `${name}_FILE`, message: `names an empty file (${file})` });
      else env[name] = value;
    } catch (err) {
      problems.push({ path: `${name}_FILE`, message: `cannot be read (${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'})` });
    }
  }
  return problems;
}

/** Each TLS file a system names (`<SYSTEM>_CA_FILE`, `_CLIENT_CERT_FILE`, `_CLIENT_KEY_FILE`) must be a readable PEM file. */
function pemFileProblems(env: Record<string, string>): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  for (const system of Object.values(SYSTEM_ENV)) {
    for (const variable of [system.tls.ca, system.tls.cert, system.tls.key]) {
      const file = env[variable];
      if (file === undefined) continue;
      try {
        if (!readFileSync(file, 'utf8').includes('-----BEGIN ')) problems.push({ path: variable, message: `names a file that holds no PEM block (${file})` });
      } catch (err) {
        problems.push({ path: variable, message: `cannot be read (${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'})` });
      }
    }
    if ((env[system.tls.cert] === undefined) !== (env[system.tls.key] === undefined)) {
      problems.push({ path: system.tls.key, message: `and ${system.tls.cert} must be set together` });
    }
  }
  return problems;
}

/**
 * The file of variables a process reads under its environment: `ENV_FILE` when set, else `./.env`.
 * `ENV_FILE=/dev/null` reads none, which is how tests keep a developer's `.env` out of the processes
 * they start.
 */
export function envFilePath(env: Record<string, string | undefined> = process.env): string {
  return env.ENV_FILE || '.env';
}

/**
 * Reads the configuration once: the process environment, over the values of {@link envFilePath} when
 * that file exists (real environment variables win, as with `node --env-file`).
 */
export function loadConfig(envFile = envFilePath()): Config {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return parseConfig({ ...fromFile, ...process.env });
}
