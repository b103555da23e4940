import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '@rhx/config';

/** Someone allowed to sign in to the console. */
export interface OperatorAccount {
  user: string;
  password: string;
}

/**
 * The console's accounts: `CONSOLE_USER` / `CONSOLE_PASSWORD`, and the Bull Board user, who keeps
 * working here. Empty means sign-in is disabled (the console says so on its sign-in page).
 */
export function operatorAccounts(config: Pick<Config, 'CONSOLE_USER' | 'CONSOLE_PASSWORD' | 'BULL_BOARD_USER' | 'BULL_BOARD_PASSWORD'>): OperatorAccount[] {
  const accounts: OperatorAccount[] = [];
  if (config.CONSOLE_USER && config.CONSOLE_PASSWORD) accounts.push({ user: config.CONSOLE_USER, password: config.CONSOLE_PASSWORD });
  if (config.BULL_BOARD_USER && config.BULL_BOARD_PASSWORD) accounts.push({ user: config.BULL_BOARD_USER, password: config.BULL_BOARD_PASSWORD });
  return accounts;
}

// Comparing digests keeps the comparison constant-time whatever the lengths.
const digest = (s: string) => createHash('sha256').update(s).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * The account these credentials sign in as, or undefined. Every account is compared, each in constant
 * time, so the answer's timing says nothing about which part was wrong.
 */
export function checkCredentials(accounts: readonly OperatorAccount[], user: string, password: string): string | undefined {
  let match: string | undefined;
  for (const account of accounts) {
    // Both compared every time: stopping at a wrong user name would tell the user name apart by time.
    const userMatches = same(user, account.user);
    const passwordMatches = same(password, account.password);
    if (userMatches && passwordMatches && match === undefined) match = account.user;
  }
  return match;
}

/**
 * The key that signs session cookies and derives CSRF tokens: `CONSOLE_SESSION_SECRET`, else one derived
 * (HKDF, its own purpose) from `SETTINGS_ENCRYPTION_KEY`, which production requires, so every API process
 * of a fleet holds the same key. With neither (a local trial), a random key: sessions end with the process.
 */
export function consoleSessionKey(config: Pick<Config, 'CONSOLE_SESSION_SECRET' | 'SETTINGS_ENCRYPTION_KEY'>): { key: Buffer; source: 'secret' | 'derived' | 'random' } {
  if (config.CONSOLE_SESSION_SECRET) return { key: createHash('sha256').update(config.CONSOLE_SESSION_SECRET).digest(), source: 'secret' };
  if (config.SETTINGS_ENCRYPTION_KEY) {
    const ikm = Buffer.from(config.SETTINGS_ENCRYPTION_KEY, 'base64');
    return { key: Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'rhx console session key', 32)), source: 'derived' };
  }
  return { key: randomBytes(32), source: 'random' };
}

/**
 * The CSRF token of a session: an HMAC of its id under the session key. A page carries it in its forms
 * (and htmx sends it as `x-csrf-token`); another site can neither read it nor compute it.
 */
export function csrfTokenFor(key: Buffer, sessionId: string): string {
  return createHmac('sha256', key).update(`csrf:${sessionId}`).digest('base64url');
}

export function csrfTokenMatches(key: Buffer, sessionId: string, presented: string | undefined): boolean {
  return presented !== undefined && same(presented, csrfTokenFor(key, sessionId));
}
