import { z } from 'zod';
import { TICKET_INTEGRATIONS, riskLevelSchema, targetSystemSchema } from '@rhx/domain';
import { parseAllowedHosts } from './allowed-hosts.js';
import { decodeStrictBase64 } from './strict-base64.js';
import { apiTokens, bool, commaList, hostPort, httpUrl, int, optionalText, proxyUrl, redisUrl } from './env-values.js';
import { SYSTEM_ENV, SYSTEM_ENV_SHAPE, SYSTEM_SECRET_VARIABLES } from './system-env.js';
import { trustProxySchema } from './trust-proxy.js';

const encryptionKey = z
  .string()
  .refine((v) => decodeStrictBase64(v)?.length === 32, 'must be 32 bytes in standard base64 (openssl rand -base64 32)');

/** `INTEGRATION_ALLOWED_HOSTS`: every bad entry is reported, each by its text. */
const allowedHosts = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const { hosts, problems } = parseAllowedHosts(text);
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return hosts;
  });

/** How the fleet reaches PostgreSQL: directly, or through a pooler in session or transaction mode. */
export const DATABASE_POOLERS = ['none', 'session', 'transaction'] as const;

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
    REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
    // Redis behind Sentinels: the primary they name is followed through failovers (REDIS_URL keeps the
    // data nodes' user, password, db and TLS; its host is not used).
    REDIS_SENTINELS: commaList(hostPort).optional(),
    REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be the primary’s name as the Sentinels know it').default('mymaster'),
    REDIS_SENTINEL_PASSWORD: optionalText,
    // Redis Cluster: nodes to start from (the rest are discovered); REDIS_URL keeps the user, password and TLS.
    REDIS_CLUSTER_NODES: commaList(hostPort).optional(),
    QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}.-]{1,40}$/, 'must be 1–40 of A-Z a-z 0-9 _ - . { }').default('rhx'),
    // Finished jobs Redis keeps per queue, by count and by age (whichever limit is reached first).
    QUEUE_KEEP_COMPLETED: int(1000, 1, 1_000_000),
    QUEUE_KEEP_COMPLETED_HOURS: int(24, 1, 24 * 365),
    QUEUE_KEEP_FAILED: int(5000, 1, 1_000_000),
    QUEUE_KEEP_FAILED_DAYS: int(7, 1, 365),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, message: 'must be a postgresql:// URL' })
      .default('postgresql://postgres@127.0.0.1:5432/rhythmx'),
    API_PORT: int(8080, 0, 65535),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    // A worker's health endpoint (`/healthz`, `/readyz`) for an orchestrator's probes; 0 (the default)
    // serves none, so several workers on one machine do not compete for a port. The image sets 8081.
    WORKER_HEALTH_PORT: int(0, 0, 65535),
    // Behind a reverse proxy: where client addresses come from (X-Forwarded-For, through the proxies named here).
    TRUST_PROXY: trustProxySchema,
    API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    // Named tokens (`name:token,…`): the name is who the audit trail says made a /v1 call.
    API_TOKENS: apiTokens.optional(),
    BULL_BOARD_USER: optionalText,
    BULL_BOARD_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    SETTINGS_ENCRYPTION_KEY: encryptionKey.optional(),
    // The operator console (/console): its own sign-in, and the Bull Board user's, which keeps working there.
    CONSOLE_USER: optionalText,
    CONSOLE_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    // Signs the console's session cookie and derives its CSRF tokens; unset, a key is derived from
    // SETTINGS_ENCRYPTION_KEY (which production requires), so every API process of a fleet agrees.
    CONSOLE_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
    CONSOLE_SESSION_HOURS: int(8, 1, 24 * 30),
    // However busy, a console session ends this long after its sign-in (CONSOLE_SESSION_HOURS is the idle limit).
    CONSOLE_SESSION_MAX_HOURS: int(24, 1, 24 * 30),


    AUTO_PUSH_ENABLED: bool(false),
    AUTO_PUSH_MIN_SEVERITY: riskLevelSchema.default('CRITICAL'),
    AUTO_PUSH_TARGETS: commaList(targetSystemSchema).default(['jira']),

    RETRY_MAX_ATTEMPTS: int(5, 1, 100),
    RETRY_BASE_DELAY_SECONDS: int(60, 0, 86_400),
    RETRY_MAX_DELAY_SECONDS: int(3600, 0, 7 * 86_400),
    HTTP_TIMEOUT_MS: int(15_000, 100, 600_000),
    // After a create whose answer was lost, how long before the look-up for its ticket (Jira's search lags).
    UNKNOWN_OUTCOME_SETTLE_SECONDS: int(60, 0, 3600),

    TICKET_INTEGRATION: z.enum(TICKET_INTEGRATIONS).default('standard'),
    SNOW_UPDATE_CADENCE_HOURS: int(24, 0, 24 * 365),
    SYNC_INTERVAL_SECONDS: int(300, 1, 86_400),
    // Reads in flight per target system in a sync worker: 20 reads of 20 ms make 10,000 tickets a 10 s cycle.
    SYNC_CONCURRENCY: int(20, 1, 200),

    RHYTHMX_BASE_URL: httpUrl.optional(),
    INTEGRATION_ALLOWED_HOSTS: allowedHosts,
    // Connections each process keeps to PostgreSQL (or to PgBouncer); unset: the API 20, a worker 10.
    // A pooler between the fleet and PostgreSQL: `transaction` (PgBouncer's pool_mode) makes every
    // statement unnamed, since a statement prepared on one server connection is unknown on the next.
    DATABASE_POOLER: z.enum(DATABASE_POOLERS).default('none'),
    DATABASE_POOL_SIZE: z.string().regex(/^\d+$/, 'must be a whole number from 1 to 500').transform(Number).pipe(z.number().min(1, 'must be at least 1').max(500, 'must be at most 500')).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // The egress proxy of every call to a ticketing system (curl's variables; lower case is read too).
    HTTPS_PROXY: proxyUrl.optional(),
    HTTP_PROXY: proxyUrl.optional(),
    NO_PROXY: optionalText,
    // Each ticketing system's own variables (libs/config/system-env.ts).
    ...SYSTEM_ENV_SHAPE,
  });

type RawEnv = Record<string, string | undefined>;

/**
 * Rules across variables, checked on the raw strings so they are reported together with every
 * per-variable problem (a schema-level refinement would be skipped while any field is invalid).
 */
export function crossFieldProblems(env: RawEnv): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const on = (key: string, fallback = false) => (env[key] === undefined ? fallback : env[key] === 'true' || env[key] === '1');
  const need = (when: boolean, keys: string[], why: string) => {
    if (when) for (const key of keys) if (env[key] === undefined) problems.push({ path: key, message: `is required ${why}` });
  };
  const production = (env.NODE_ENV ?? 'production') === 'production';
  for (const system of Object.values(SYSTEM_ENV)) for (const { keys, why } of system.required(env)) need(true, keys, why);
  const hasSecret = SYSTEM_SECRET_VARIABLES.some((k) => env[k] !== undefined);
  need(hasSecret || production, ['SETTINGS_ENCRYPTION_KEY'], hasSecret ? 'to store the credentials given in the environment' : 'when NODE_ENV=production');
  if (production && !on('PROACTIVE_SNOW_VERIFY_SSL', true)) {
    problems.push({ path: 'PROACTIVE_SNOW_VERIFY_SSL', message: 'must not be false when NODE_ENV=production' });
  }
  if (Number(env.RETRY_MAX_DELAY_SECONDS ?? 3600) < Number(env.RETRY_BASE_DELAY_SECONDS ?? 60)) {
    problems.push({ path: 'RETRY_MAX_DELAY_SECONDS', message: 'must not be below RETRY_BASE_DELAY_SECONDS' });
  }
  if ((env.BULL_BOARD_USER === undefined) !== (env.BULL_BOARD_PASSWORD === undefined)) {
    problems.push({ path: 'BULL_BOARD_PASSWORD', message: 'BULL_BOARD_USER and BULL_BOARD_PASSWORD must be set together' });
  }
  const cluster = env.REDIS_CLUSTER_NODES !== undefined || /^rediss?\+cluster:/.test(env.REDIS_URL ?? '');
  if (cluster && (env.REDIS_SENTINELS !== undefined || /^rediss?\+sentinel:/.test(env.REDIS_URL ?? ''))) {
    problems.push({ path: 'REDIS_CLUSTER_NODES', message: 'and REDIS_SENTINELS (or a redis+sentinel:// REDIS_URL) both name the Redis: set one' });
  }
  // On Cluster the fleet puts each queue's keys under a hash tag of its own ({rhx:ticket-push}); braces
  // inside the prefix would make one tag of them all again (`{rhx}` whole is taken as `rhx`).
  if (cluster && /[{}]/.test((env.QUEUE_PREFIX ?? '').replace(/^\{([^{}]+)\}$/, '$1'))) {
    problems.push({ path: 'QUEUE_PREFIX', message: 'must not contain { } on Redis Cluster (other than around the whole prefix): the fleet adds a hash tag per queue itself' });
  }
  if ((env.CONSOLE_USER === undefined) !== (env.CONSOLE_PASSWORD === undefined)) {
    problems.push({ path: 'CONSOLE_PASSWORD', message: 'CONSOLE_USER and CONSOLE_PASSWORD must be set together' });
  }
  return problems;
}

export type Config = Readonly<z.output<typeof envSchema>>;

/** Names of the variables whose values are secrets: never logged, never returned. */
export const SECRET_VARIABLES = [
  'API_TOKEN',
  'API_TOKENS',
  'BULL_BOARD_PASSWORD',
  'CONSOLE_PASSWORD',
  'CONSOLE_SESSION_SECRET',
  'SETTINGS_ENCRYPTION_KEY',
  'REDIS_SENTINEL_PASSWORD',
  // A proxy URL may carry its user and password.
  'HTTPS_PROXY',
  'HTTP_PROXY',
  ...SYSTEM_SECRET_VARIABLES,
] as const satisfies readonly (keyof Config)[];

/**
 * Variables that may also come from a file, `<NAME>_FILE` (Docker and Kubernetes secrets): every secret,
 * and the connection URLs, which carry passwords.
 */
export const FILE_VARIABLES = [...SECRET_VARIABLES, 'DATABASE_URL', 'REDIS_URL'] as const satisfies readonly (keyof Config)[];
