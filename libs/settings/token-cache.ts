import type { RedisClient } from '@rhx/queue';
import type { TokenCache } from '@rhx/adapters';
import { SecretBox } from './secret-box.js';

/**
 * OAuth access tokens shared by every process of the fleet (CONTRACT: fetched once per system), sealed
 * with the settings key so Redis never holds a usable token in clear, and kept only as long as the token
 * is usable. Without the key nothing is shared: each process fetches and keeps its own in memory.
 * Failures of Redis only cost a token fetch: the cache is never the reason a push fails.
 */
export class RedisTokenCache implements TokenCache {
  private readonly box: SecretBox | undefined;

  constructor(
    private readonly redis: RedisClient,
    settingsKey: string | undefined,
    private readonly prefix: string,
  ) {
    this.box = settingsKey ? new SecretBox(settingsKey) : undefined;
  }

  async get(key: string): Promise<{ token: string; usableMs: number } | undefined> {
    if (!this.box) return undefined;
    const answers = await this.redis.multi().get(this.keyOf(key)).pttl(this.keyOf(key)).exec().catch(() => null);
    const sealed = answers?.[0]?.[1];
    const usableMs = Number(answers?.[1]?.[1]);
    if (typeof sealed !== 'string' || !(usableMs > 0)) return undefined;
    try {
      return { token: this.box.open(sealed), usableMs };
    } catch {
      return undefined; // sealed under an older key: fetch a new one
    }
  }

  async set(key: string, token: string, ttlMs: number): Promise<void> {
    if (!this.box) return;
    await this.redis.set(this.keyOf(key), this.box.seal(token), 'PX', Math.max(1, Math.floor(ttlMs))).catch(() => undefined);
  }

  async forget(key: string, token: string): Promise<void> {
    const current = await this.get(key);
    if (current?.token === token) await this.redis.del(this.keyOf(key)).catch(() => undefined);
  }

  private keyOf(key: string): string {
    return `${this.prefix}:oauth-token:${key}`;
  }
}
