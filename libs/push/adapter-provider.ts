import { createAdapter, type AdapterOptions, type TicketAdapter } from '@rhx/adapters';
import type { TargetSystem } from '@rhx/domain';
import type { IntegrationSettingsStore } from '@rhx/settings';

export type TargetReadiness =
  | { ready: true; adapter: TicketAdapter }
  | { ready: false; reason: 'not-configured' | 'disabled'; message: string };

/**
 * Adapters built from the stored integration settings. One adapter per system is kept while its
 * settings stay the same (so look-ups it caches, such as a ServiceNow group's sys_id, are made once);
 * settings are re-read at most every `ttlMs`, so a change through the API applies within that time.
 */
export class AdapterProvider {
  private readonly cache = new Map<TargetSystem, { at: number; key: string; value: TargetReadiness; adapter?: TicketAdapter }>();

  constructor(
    private readonly settings: IntegrationSettingsStore,
    private readonly options: AdapterOptions,
    private readonly ttlMs = 1000,
  ) {}

  /** The system's adapter when it is configured (and, unless `ignoreEnabled`, enabled). */
  async forSystem(system: TargetSystem, { ignoreEnabled = false } = {}): Promise<TargetReadiness> {
    const hit = this.cache.get(system);
    const now = Date.now();
    let entry = hit;
    if (!hit || now - hit.at > this.ttlMs) {
      const stored = await this.settings.read(system);
      const key = JSON.stringify(stored);
      if (hit && hit.key === key) entry = { ...hit, at: now };
      else entry = { at: now, key, ...this.build(system, stored) };
      this.cache.set(system, entry);
    }
    // Only a configured system has an adapter; `ignoreEnabled` (connection tests) uses it even when disabled.
    if (ignoreEnabled && entry!.adapter) return { ready: true, adapter: entry!.adapter };
    return entry!.value;
  }

  private build(system: TargetSystem, stored: Awaited<ReturnType<IntegrationSettingsStore['read']>>) {
    if (!stored?.configured) {
      return { value: { ready: false, reason: 'not-configured', message: `${system} is not configured` } as const };
    }
    const adapter = createAdapter(system, stored.values, this.options);
    if (!stored.enabled) {
      return { adapter, value: { ready: false, reason: 'disabled', message: `${system} is disabled` } as const };
    }
    return { adapter, value: { ready: true, adapter } as const };
  }
}

/** The adapters' process options from the configuration. */
export function adapterOptionsFrom(config: { HTTP_TIMEOUT_MS: number; RHYTHMX_BASE_URL?: string | undefined }): AdapterOptions {
  return { httpTimeoutMs: config.HTTP_TIMEOUT_MS, ...(config.RHYTHMX_BASE_URL ? { deepLinkBaseUrl: config.RHYTHMX_BASE_URL } : {}) };
}
