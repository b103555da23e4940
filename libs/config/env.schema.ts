import { z } from 'zod';
import { riskLevelSchema, targetSystemSchema } from '@rhx/domain';
import { parseAllowedHosts } from './allowed-hosts.js';
import { decodeStrictBase64 } from './strict-base64.js';
import { trustProxySchema } from './trust-proxy.js';

// Environment values are strings; these helpers parse them strictly so that `RETRY_MAX_ATTEMPTS=zero`
// or `JIRA_ENABLED=yes please` is reported instead of silently becoming NaN or false.
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

const int = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .default(String(fallback))
    .pipe(z.string().regex(/^\d+$/, `must be a whole number from ${min} to ${max}`))
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** A request cap: a positive number of requests per second (`0.5` is one every two seconds); unset means none. */
const requestsPerSecond = z
  .string()
  .regex(/^(\d+(\.\d+)?|\.\d+)$/, 'must be a positive number of requests per second, such as 10 or 0.5')
  .transform(Number)
  .pipe(z.number().positive('must be above 0 (leave it unset for no cap)').max(1000, 'must be at most 1000'))
  .optional();

function isPlainBaseUrl(text: string): boolean {
  if (/[?#]/.test(text) || !URL.canParse(text)) return !/[?#]/.test(text);
  const url = new URL(text);
  return url.username === '' && url.password === '';
}

// A base URL: user info would be sent as credentials, and a query or fragment swallows the paths
// appended to it (`https://x/?` + `/rest/api` is a request for `https://x/`).
const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine(isPlainBaseUrl, 'must be a base URL without user info, query or fragment')
  .transform((u) => u.replace(/\/+$/, ''));

const optionalText = z.string().trim().min(1).optional();

const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).min(1, 'must name at least one target'));

/** The ServiceNow instance: a host (meaning https://) or a whole base URL. */
const snowInstance = z
  .string()
  .trim()
  .transform((v) => (/^https?:\/\//.test(v) ? v : `https://${v}`))
  .pipe(httpUrl);

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

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
    REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
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
    // Behind a reverse proxy: where client addresses come from (X-Forwarded-For, through the proxies named here).
    TRUST_PROXY: trustProxySchema,
    API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
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

    JIRA_URL: httpUrl.optional(),
    JIRA_EMAIL: optionalText,
    JIRA_API_TOKEN: optionalText,
    JIRA_PROJECT_KEY: z.string().regex(/^[A-Z][A-Z0-9_]{0,9}$/, 'must be a Jira project key such as SEC').optional(),
    JIRA_ISSUE_TYPE: z.string().min(1).default('Task'),
    JIRA_DEPLOYMENT: z.enum(['cloud', 'server']).default('cloud'),
    JIRA_ENABLED: bool(false),

    SNOW_INSTANCE: snowInstance.optional(),
    SNOW_USERNAME: optionalText,
    SNOW_PASSWORD: optionalText,
    SNOW_ASSIGNMENT_GROUP: optionalText,
    SNOW_ENABLED: bool(false),

    AUTO_PUSH_ENABLED: bool(false),
    AUTO_PUSH_MIN_SEVERITY: riskLevelSchema.default('CRITICAL'),
    AUTO_PUSH_TARGETS: commaList(targetSystemSchema).default(['jira']),

    RETRY_MAX_ATTEMPTS: int(5, 1, 100),
    RETRY_BASE_DELAY_SECONDS: int(60, 0, 86_400),
    RETRY_MAX_DELAY_SECONDS: int(3600, 0, 7 * 86_400),
    HTTP_TIMEOUT_MS: int(15_000, 100, 600_000),
    // After a create whose answer was lost, how long before the look-up for its ticket (Jira's search lags).
    UNKNOWN_OUTCOME_SETTLE_SECONDS: int(60, 0, 3600),
    JIRA_MAX_REQUESTS_PER_SECOND: requestsPerSecond,
    SNOW_MAX_REQUESTS_PER_SECOND: requestsPerSecond,

    TICKET_INTEGRATION: z.enum(['standard', 'proactive']).default('standard'),
    PROACTIVE_SNOW_BASE_URL: httpUrl.optional(),
    PROACTIVE_SNOW_APP_ID: optionalText,
    PROACTIVE_SNOW_SECRET: optionalText,
    PROACTIVE_SNOW_TABLE: z.string().min(1).default('Case'),
    PROACTIVE_SNOW_SOURCE: z.string().min(1).default('Managed_services'),
    PROACTIVE_SNOW_SERVICE_IDENTIFIER: optionalText,
    PROACTIVE_SNOW_VERIFY_SSL: bool(true),
    SNOW_UPDATE_CADENCE_HOURS: int(24, 0, 24 * 365),
    SYNC_INTERVAL_SECONDS: int(300, 1, 86_400),
    // Reads in flight per target system in a sync worker: 20 reads of 20 ms make 10,000 tickets a 10 s cycle.
    SYNC_CONCURRENCY: int(20, 1, 200),

    RHYTHMX_BASE_URL: httpUrl.optional(),
    INTEGRATION_ALLOWED_HOSTS: allowedHosts,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  const proactive = env.TICKET_INTEGRATION === 'proactive';
  need(on('JIRA_ENABLED'), ['JIRA_URL', 'JIRA_API_TOKEN', 'JIRA_PROJECT_KEY'], 'when JIRA_ENABLED=true');
  need(on('JIRA_ENABLED') && env.JIRA_DEPLOYMENT !== 'server', ['JIRA_EMAIL'], 'for Jira Cloud (JIRA_DEPLOYMENT=cloud)');
  need(on('SNOW_ENABLED') && !proactive, ['SNOW_INSTANCE', 'SNOW_USERNAME', 'SNOW_PASSWORD'], 'when SNOW_ENABLED=true');
  need(proactive, ['PROACTIVE_SNOW_BASE_URL', 'PROACTIVE_SNOW_APP_ID', 'PROACTIVE_SNOW_SECRET', 'PROACTIVE_SNOW_SERVICE_IDENTIFIER'], 'when TICKET_INTEGRATION=proactive');
  const hasSecret = ['JIRA_API_TOKEN', 'SNOW_PASSWORD', 'PROACTIVE_SNOW_SECRET'].some((k) => env[k] !== undefined);
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
  if ((env.CONSOLE_USER === undefined) !== (env.CONSOLE_PASSWORD === undefined)) {
    problems.push({ path: 'CONSOLE_PASSWORD', message: 'CONSOLE_USER and CONSOLE_PASSWORD must be set together' });
  }
  return problems;
}

export type Config = Readonly<z.output<typeof envSchema>>;

/** Names of the variables whose values are secrets: never logged, never returned. */
export const SECRET_VARIABLES = [
  'API_TOKEN',
  'BULL_BOARD_PASSWORD',
  'CONSOLE_PASSWORD',
  'CONSOLE_SESSION_SECRET',
  'SETTINGS_ENCRYPTION_KEY',
  'JIRA_API_TOKEN',
  'SNOW_PASSWORD',
  'PROACTIVE_SNOW_SECRET',
] as const satisfies readonly (keyof Config)[];
