const REDACTED = '[redacted]';

/**
 * Removes every configured secret (and any `Basic …`/`Bearer …` credential) from `text`.
 * Applied to every message a {@link TicketError} carries, so a remote that echoes a header or a
 * token back can never put it into logs, history rows or API answers. Never throws (any string in).
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    // An unpaired surrogate has no UTF-8 form: on the wire it is U+FFFD, and encodeURIComponent would
    // throw on it. The forms a remote can echo are scrubbed; this never throws, whatever a secret holds.
    const wellFormed = secret.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
    variants.add(secret).add(wellFormed).add(encodeURIComponent(wellFormed));
  }
  // Longest first, so that a secret containing another one is removed whole.
  const ordered = [...variants].sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of ordered) out = out.split(secret).join(REDACTED);
  return out.replace(/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{8,}/gi, `$1 ${REDACTED}`);
}

/** The base64 `user:secret` pair a Basic header carries; listed among the secrets to scrub. */
export function basicCredentials(user: string, secret: string): string {
  return Buffer.from(`${user}:${secret}`, 'utf8').toString('base64');
}
