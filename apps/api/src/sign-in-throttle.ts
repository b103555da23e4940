import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '@rhx/queue';

/** How failed sign-ins slow the next attempt. */
export interface SignInSchedule {
  /** Failures answered without delay before the delay starts. */
  freeFailures: number;
  /** The delay after `freeFailures` failures; it doubles with each further one. */
  firstDelayMs: number;
  /** The longest delay: whatever anyone has guessed, the right password signs in after at most this. */
  maxDelayMs: number;
  /** A count is forgotten this long after its last failure. */
  windowMs: number;
}

/** 0, 0, 0, 250 ms, 500 ms, 1 s, 2 s, 4 s, then 5 s per attempt; forgotten after 15 quiet minutes. */
export const SIGN_IN_SCHEDULE: SignInSchedule = { freeFailures: 3, firstDelayMs: 250, maxDelayMs: 5000, windowMs: 15 * 60_000 };

/** The wait before answering an attempt that comes after `failures` failures. */
export function signInDelayMs(failures: number, schedule: SignInSchedule = SIGN_IN_SCHEDULE): number {
  const beyond = failures - schedule.freeFailures;
  if (beyond < 0) return 0;
  return Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** Math.min(beyond, 30));
}

/** The account a typed user name counts against: `Admin ` and `admin` are the same guess. */
export function accountOf(user: string): string {
  return user.normalize('NFKC').trim().toLowerCase();
}

/**
 * The client an address counts against. An IPv6 client usually holds a whole /64, so its addresses
 * count as one; an IPv4-mapped IPv6 address is its IPv4 address.
 */
export function clientOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const bare = ip.replace(/%.*$/, '');
  if (isIPv4(bare) || !isIPv6(bare)) return bare;
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const [head = '', tail] = bare.split('::');
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${all.slice(0, 4).map((g) => g.toLowerCase().padStart(4, '0')).join(':')}::/64`;
}

/** Who is signing in: the user name typed (or sent with HTTP Basic) and the client's address. */
export interface SignInAttempt {
  user: string;
  /** `request.ip`: the connection's address, or the client's as `TRUST_PROXY` reads it. */
  ip: string;
}

/** What an attempt waited, and the failures behind that wait, for the answer and the log. */
export interface SignInOutcome<T> {
  result: T | undefined;
  delayMs: number;
  accountFailures: number;
  clientFailures: number;
}

/**
 * Failed sign-ins, counted fleet-wide in Redis per account (the user name tried) and per client (its
 * address), for the console and Bull Board together. Every attempt first waits the delay the larger of
 * its two counts earns, then its credentials are checked: the answer's timing cannot tell a right
 * password from a wrong one, and nobody is ever locked out, only slowed to one answer per
 * `maxDelayMs`. A failure adds one to both counts; a success clears its client's count but not the
 * account's, so signing in with one's own account does not reset the guesses against another.
 */
export class SignInThrottle {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    readonly schedule: SignInSchedule = SIGN_IN_SCHEDULE,
  ) {}

  /** Keys hold a hash of the user name: what was typed (perhaps a password) never reaches Redis. */
  keys(attempt: SignInAttempt): { account: string; client: string } {
    const account = createHash('sha256').update(accountOf(attempt.user)).digest('base64url');
    return { account: `${this.prefix}:sign-in:failures:account:${account}`, client: `${this.prefix}:sign-in:failures:client:${clientOf(attempt.ip)}` };
  }

  /**
   * Waits the attempt's delay, then runs `check` (undefined: refused) and counts its outcome.
   * Each key is read and written on its own, so no command spans two keys (Redis Cluster).
   */
  async attempt<T>(attempt: SignInAttempt, check: () => T | undefined): Promise<SignInOutcome<T>> {
    const { account, client } = this.keys(attempt);
    const [accountFailures, clientFailures] = (await Promise.all([this.redis.get(account), this.redis.get(client)])).map((n) => Number(n ?? 0)) as [number, number];
    const delayMs = signInDelayMs(Math.max(accountFailures, clientFailures), this.schedule);
    if (delayMs > 0) await sleep(delayMs);
    const result = check();
    if (result === undefined) {
      // Every failure restarts the window: a count falls to nothing only after `windowMs` without one.
      await Promise.all([account, client].map((key) => this.redis.multi().incr(key).pexpire(key, this.schedule.windowMs).exec()));
    } else if (clientFailures > 0) {
      await this.redis.del(client);
    }
    return { result, delayMs, accountFailures, clientFailures };
  }
}

/** The delay an attempt waited, as the answer reports it (`Server-Timing`, shown by browsers' tools). */
export const serverTiming = (delayMs: number) => `sign-in-delay;dur=${delayMs}`;
