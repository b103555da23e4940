import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '@rhx/queue';
import { z } from 'zod';

/** A signed-in operator's session, as Redis holds it. */
export interface ConsoleSession {
  user: string;
  /** When the operator signed in (ms since the epoch): a session ends this long after whatever its use. */
  since: number;
  /** A one-time notice for the next page shown (the outcome of a form the console redirected from). */
  flash?: { kind: 'ok' | 'error'; text: string };
}

const sessionSchema = z.object({
  user: z.string(),
  // A session stored before the absolute lifetime existed has no start: it is not read (sign in again).
  since: z.number(),
  flash: z.object({ kind: z.enum(['ok', 'error']), text: z.string() }).optional(),
});

/** A new session id: 256 random bits, the cookie's (signed) value. */
export const newSessionId = () => randomBytes(32).toString('base64url');

/**
 * Console sessions in Redis, shared by every API process, ending after `ttlMs` without a request, at
 * `maxMs` after sign-in however busy (CONSOLE_SESSION_MAX_HOURS), and at once on sign-out. Keys hold a
 * hash of the id, so what Redis stores cannot be replayed as a cookie.
 */
export class ConsoleSessions {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly maxMs: number = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:console:session:${createHash('sha256').update(id).digest('base64url')}`;
  }

  async create(id: string, session: ConsoleSession): Promise<void> {
    await this.redis.set(this.key(id), JSON.stringify(session), 'PX', this.ttlMs);
  }

  /** The session, its idle timeout restarted; undefined when there is none (expired, signed out, never). */
  async read(id: string): Promise<ConsoleSession | undefined> {
    const key = this.key(id);
    const [[, text]] = (await this.redis.multi().get(key).pexpire(key, this.ttlMs).exec()) as [[unknown, string | null]];
    if (!text) return undefined;
    const parsed = sessionSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    if (this.now() - parsed.data.since >= this.maxMs) {
      await this.redis.del(key);
      return undefined;
    }
    return parsed.data;
  }

  /** Replaces the session's notice; the next page shows it once ({@link takeFlash}). */
  async setFlash(id: string, session: ConsoleSession, flash: ConsoleSession['flash']): Promise<void> {
    await this.redis.set(this.key(id), JSON.stringify({ ...session, flash }), 'PX', this.ttlMs, 'XX');
  }

  async takeFlash(id: string, session: ConsoleSession): Promise<ConsoleSession['flash']> {
    if (!session.flash) return undefined;
    await this.redis.set(this.key(id), JSON.stringify({ user: session.user, since: session.since }), 'PX', this.ttlMs, 'XX');
    return session.flash;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }
}
