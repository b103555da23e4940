import { createAdapter, HostPolicy, proxySettingsFrom, systemOf, type AdapterOptions, type TicketAdapter, type TlsMaterial } from '@rhx/adapters';
import { readFileSync } from 'node:fs';
import type { Config } from '@rhx/config';
import { TARGET_SYSTEMS, type TargetSystem } from '@rhx/domain';
import { RedisTokenCache, type IntegrationSettingsStore, type StoredSettings } from '@rhx/settings';
import { keyLayoutOf, type RedisClient } from '@rhx/queue';

export type TargetReadiness =
  | { ready: true; adapter: TicketAdapter }
  | { ready: false; reason: 'not-configured' | 'disabled'; message: string };

/** Where the provider reads settings from: one row per read, and this process's own write count. */
export type SettingsSource = Pick<IntegrationSettingsStore, 'read' | 'revision'>;

/** How often a process re-reads settings another process may have changed. */
export const SETTINGS_REREAD_MS = 1000;

interface Entry {
  at: number;
  revision: number;
  key: string;
  value: TargetReadiness;
  adapter?: TicketAdapter;
}

/**
 * Adapters built from the stored integration settings. One adapter per system is kept while its
 * settings stay the same (so look-ups it caches, such as a ServiceNow group's sys_id, are made once).
 * A change written through this process's store applies to the next call; a change made by another
 * process applies within `ttlMs` (settings are re-read at most that often). Each adapter is built
 * from one read of one row, never from parts of two writes.
 */
export class AdapterProvider {
  private readonly cache = new Map<TargetSystem, Entry>();
  private readonly reading = new Map<TargetSystem, { revision: number; entry: Promise<Entry> }>();

  constructor(
    private readonly settings: SettingsSource,
    readonly options: AdapterOptions,
    private readonly ttlMs = SETTINGS_REREAD_MS,
  ) {}

  /** The system's adapter when it is configured (and, unless `ignoreEnabled`, enabled). */
  async forSystem(system: TargetSystem, { ignoreEnabled = false } = {}): Promise<TargetReadiness> {
    const hit = this.cache.get(system);
    const fresh = hit && hit.revision === this.settings.revision(system) && Date.now() - hit.at <= this.ttlMs;
    const entry = fresh ? hit : await this.reread(system);
    // Only a configured system has an adapter; `ignoreEnabled` (connection tests) uses it even when disabled.
    if (ignoreEnabled && entry.adapter) return { ready: true, adapter: entry.adapter };
    return entry.value;
  }

  /** One read in flight per system and revision; callers after a local write start a new one. */
  private reread(system: TargetSystem): Promise<Entry> {
    // The revision is taken before reading: a write that lands during the read leaves the entry stale.
    const revision = this.settings.revision(system);
    const pending = this.reading.get(system);
    if (pending && pending.revision === revision) return pending.entry;
    const entry = this.settings.read(system).then((stored) => this.store(system, revision, stored));
    const slot = { revision, entry };
    this.reading.set(system, slot);
    const clear = () => {
      if (this.reading.get(system) === slot) this.reading.delete(system);
    };
    entry.then(clear, clear);
    return entry;
  }

  private store(system: TargetSystem, revision: number, stored: StoredSettings | null): Entry {
    const key = JSON.stringify(stored);
    const hit = this.cache.get(system);
    const entry: Entry = hit && hit.key === key ? { ...hit, at: Date.now(), revision } : { at: Date.now(), revision, key, ...this.build(system, stored) };
    const newest = this.cache.get(system);
    if (!newest || newest.revision <= revision) this.cache.set(system, entry);
    return entry;
  }

  private build(system: TargetSystem, stored: StoredSettings | null): Pick<Entry, 'value' | 'adapter'> {
    if (!stored?.configured) {
      return { value: { ready: false, reason: 'not-configured', message: `${system} is not configured` } };
    }
    const adapter = createAdapter(system, stored.values, this.options);
    if (!stored.enabled) {
      return { adapter, value: { ready: false, reason: 'disabled', message: `${system} is disabled` } };
    }
    return { adapter, value: { ready: true, adapter } };
  }
}

/**
 * The adapters' process options from the configuration: the host policy of `INTEGRATION_ALLOWED_HOSTS`
 * for URLs set through the API, and the environment's own base URL of each system (its descriptor's
 * `env.trustedUrl`: `JIRA_URL`, `SNOW_INSTANCE`, `PROACTIVE_SNOW_BASE_URL` in proactive mode), which is trusted; the mode that picks the
 * `servicenow` adapter, and the Proactive Case API's certificate check.
 */
export function adapterOptionsFrom(
  config: Pick<Config, 'HTTP_TIMEOUT_MS' | 'RHYTHMX_BASE_URL' | 'INTEGRATION_ALLOWED_HOSTS' | 'TICKET_INTEGRATION' | 'PROACTIVE_SNOW_VERIFY_SSL'> & Partial<Config>,
  /** Where OAuth access tokens are shared with the rest of the fleet; absent: each adapter keeps its own. */
  redis?: RedisClient,
): AdapterOptions {
  const env = config as unknown as Readonly<Record<string, string | undefined>>;
  const trustedBaseUrls = Object.fromEntries(
    TARGET_SYSTEMS.flatMap((system) => {
      const url = env[systemOf(system, config.TICKET_INTEGRATION).env.trustedUrl];
      return url ? [[system, url]] : [];
    }),
  );
  // Lower-case proxy variables too, as curl reads them; the configuration has validated the upper-case ones.
  const proxy = proxySettingsFrom({ http_proxy: process.env.http_proxy, https_proxy: process.env.https_proxy, no_proxy: process.env.no_proxy, ...env });
  const tls = Object.fromEntries(TARGET_SYSTEMS.flatMap((system) => {
    const material = tlsMaterialOf(env, systemOf(system, config.TICKET_INTEGRATION).env.tls);
    return material ? [[system, material]] : [];
  }));
  return {
    httpTimeoutMs: config.HTTP_TIMEOUT_MS,
    hostPolicy: new HostPolicy(config.INTEGRATION_ALLOWED_HOSTS),
    ...(proxy ? { proxy } : {}),
    ...(Object.keys(tls).length ? { tls } : {}),
    trustedBaseUrls,
    ticketIntegration: config.TICKET_INTEGRATION,
    proactiveVerifyTls: config.PROACTIVE_SNOW_VERIFY_SSL,
    ...(config.RHYTHMX_BASE_URL ? { deepLinkBaseUrl: config.RHYTHMX_BASE_URL } : {}),
    ...(redis ? { tokens: new RedisTokenCache(redis, config.SETTINGS_ENCRYPTION_KEY, keyLayoutOf(redis, config.QUEUE_PREFIX ?? 'rhx').group('oauth-token')) } : {}),
  };
}

/** A profile's PEM files read once at start (the configuration checked they are readable PEM files). */
function tlsMaterialOf(env: Readonly<Record<string, string | undefined>>, names: { ca: string; cert: string; key: string; passphrase: string }): TlsMaterial | undefined {
  const read = (variable: string) => (env[variable] ? readFileSync(env[variable]!, 'utf8') : undefined);
  const material = { ca: read(names.ca), cert: read(names.cert), key: read(names.key), passphrase: env[names.passphrase] };
  const given = Object.fromEntries(Object.entries(material).filter(([, v]) => v !== undefined)) as TlsMaterial;
  return Object.keys(given).length ? given : undefined;
}
