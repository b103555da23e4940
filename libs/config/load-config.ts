import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { fieldProblems } from '@rhx/domain';
import { crossFieldProblems, envSchema, type Config } from './env.schema.js';

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
  const result = envSchema.safeParse(cleaned);
  const problems = [...(result.success ? [] : fieldProblems(result.error)), ...crossFieldProblems(cleaned)];
  if (!result.success || problems.length > 0) {
    throw new ConfigError(problems.map((p) => ({ variable: p.path.split(/[.[]/)[0] ?? p.path, message: p.message })));
  }
  return Object.freeze(result.data);
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
