import { z } from 'zod';

// Environment values are strings; these helpers parse them strictly so that `RETRY_MAX_ATTEMPTS=zero`
// or `JIRA_ENABLED=yes please` is reported instead of silently becoming NaN or false.
export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const int = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .default(String(fallback))
    .pipe(z.string().regex(/^\d+$/, `must be a whole number from ${min} to ${max}`))
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** A request cap: a positive number of requests per second (`0.5` is one every two seconds); unset means none. */
export const requestsPerSecond = z
  .string()
  .regex(/^(\d+(\.\d+)?|\.\d+)$/, 'must be a positive number of requests per second, such as 10 or 0.5')
  .transform(Number)
  .pipe(z.number().positive('must be above 0 (leave it unset for no cap)').max(1000, 'must be at most 1000'))
  .optional();

export function isPlainBaseUrl(text: string): boolean {
  if (/[?#]/.test(text) || !URL.canParse(text)) return !/[?#]/.test(text);
  const url = new URL(text);
  return url.username === '' && url.password === '';
}

// A base URL: user info would be sent as credentials, and a query or fragment swallows the paths
// appended to it (`https://x/?` + `/rest/api` is a request for `https://x/`).
export const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine(isPlainBaseUrl, 'must be a base URL without user info, query or fragment')
  .transform((u) => u.replace(/\/+$/, ''));

export const optionalText = z.string().trim().min(1).optional();

export const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).min(1, 'must name at least one target'));

/** The ServiceNow instance: a host (meaning https://) or a whole base URL. */
export const snowInstance = z
  .string()
  .trim()
  .transform((v) => (/^https?:\/\//.test(v) ? v : `https://${v}`))
  .pipe(httpUrl);


/**
 * A setting given as JSON (field rules, lifecycle): checked to be JSON of the right kind here, kept as
 * its text (settings hold text); the adapter's schema checks the rules themselves, naming each one.
 */
export const jsonSetting = (example: string) =>
  z
    .string()
    .refine((text) => {
      try {
        return typeof JSON.parse(text) === 'object';
      } catch {
        return false;
      }
    }, `must be ${example}`)
    .optional();

/** A proxy's URL: http or https, with its user and password when it needs them (a secret, then). */
export const proxyUrl = z.url({ protocol: /^https?$/, message: 'must be the http:// or https:// URL of the proxy' });

/** A calendar date (`2027-03-31`), such as when an API token expires. */
export const expiryDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date such as 2027-03-31', abort: true })
  .refine((v) => { const d = new Date(`${v}T00:00:00Z`); return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v; }, 'must be a real calendar date')
  .optional();

/** `host:port` (a Sentinel, a cluster node). */
export const hostPort = z.string().regex(/^(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port');

const SENTINEL_URL = /^rediss?\+sentinel:\/\/(?:[^:@/]*(?::[^@/]*)?@)?[^/?#]+\/[^/?#]+(?:\/\d+)?\/?(?:\?[^#]*)?$/;

const CLUSTER_URL = /^rediss?\+cluster:\/\/(?:[^:@/]*(?::[^@/]*)?@)?[^/?#]+\/?$/;

/**
 * Where Redis is: `redis://`, `rediss://`, `redis+sentinel://user:pass@host:port,host:port/<primary name>`
 * or `redis+cluster://user:pass@host:port,host:port`.
 */
export const redisUrl = z.string().refine((v) => {
  if (/^rediss?\+sentinel:/.test(v)) return SENTINEL_URL.test(v);
  if (/^rediss?\+cluster:/.test(v)) return CLUSTER_URL.test(v);
  try {
    return /^rediss?:$/.test(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'must be a redis://, rediss://, redis+sentinel://host:port,host:port/<primary name> or redis+cluster://host:port,host:port URL');

/** A `redis+cluster://` URL from `REDIS_CLUSTER_NODES`, keeping `REDIS_URL`'s user, password and TLS (Cluster has db 0 only). */
export function clusterUrl(base: string, nodes: readonly string[]): string {
  const u = new URL(base.replace(/^(rediss?)\+(sentinel|cluster):/, '$1:').replace(/,[^/]*/, ''));
  const auth = u.username || u.password ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  return `${u.protocol.replace(/:$/, '')}+cluster://${auth}${nodes.join(',')}`;
}

/** A `redis+sentinel://` URL from `REDIS_SENTINELS`, keeping `REDIS_URL`'s user, password, db and TLS. */
export function sentinelUrl(base: string, sentinels: readonly string[], name: string, sentinelPassword?: string): string {
  const u = new URL(base.replace(/^(rediss?)\+sentinel:/, '$1:').replace(/,[^/]*/, ''));
  const auth = u.username || u.password ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  const db = u.pathname.replace(/^\//, '');
  const query = sentinelPassword ? `?sentinelPassword=${encodeURIComponent(sentinelPassword)}` : '';
  return `${u.protocol.replace(/:$/, '')}+sentinel://${auth}${sentinels.join(',')}/${encodeURIComponent(name)}${/^\d+$/.test(db) ? `/${db}` : ''}${query}`;
}

/**
 * `API_TOKENS`: `name:token,…`. A name says who made a `/v1` call in the audit trail; problems name the
 * entry by its position and name, never a token.
 */
export const apiTokens = z.string().transform((text, ctx) => {
  const entries = text.split(',').map((x) => x.trim()).filter(Boolean);
  const tokens: { name: string; token: string }[] = [];
  entries.forEach((entry, i) => {
    const at = entry.indexOf(':');
    const name = at < 0 ? '' : entry.slice(0, at).trim();
    const token = at < 0 ? '' : entry.slice(at + 1).trim();
    const which = `entry ${i + 1}${/^[A-Za-z0-9._-]{1,64}$/.test(name) ? ` (${name})` : ''}`;
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) ctx.addIssue({ code: 'custom', message: `${which}: must be name:token, the name 1–64 of A-Z a-z 0-9 . _ -` });
    else if (token.length < 16) ctx.addIssue({ code: 'custom', message: `${which}: the token must be at least 16 characters` });
    else if (tokens.some((t) => t.name === name)) ctx.addIssue({ code: 'custom', message: `${which}: the name is used twice` });
    else if (tokens.some((t) => t.token === token)) ctx.addIssue({ code: 'custom', message: `${which}: the same token as ${tokens.find((t) => t.token === token)!.name}` });
    else tokens.push({ name, token });
  });
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one token (name:token)' });
  return tokens;
});
