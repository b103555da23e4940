import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * `TRUST_PROXY`, parsed: `false` (the connection's address is the client's), a hop count (the client
 * is that many addresses back from the connection in `X-Forwarded-For`), or the proxies' addresses and
 * CIDR ranges (`X-Forwarded-For` is read back through listed proxies only). Never "trust everyone":
 * that would let any client choose its own address.
 */
export type TrustProxy = false | number | readonly string[];

// proxy-addr's named ranges, which Fastify's trustProxy accepts beside addresses and CIDRs.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 10;

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry) || isIP(entry)) return true;
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
  const family = cidr ? isIP(cidr[1] ?? '') : 0;
  return family !== 0 && Number(cidr?.[2]) <= (family === 4 ? 32 : 128);
}

/** `TRUST_PROXY`: unset or `false` is off; every bad entry is reported, each by its text. */
export const trustProxySchema = z
  .string()
  .default('false')
  .transform((text, ctx): TrustProxy => {
    const value = text.trim();
    if (/^(false|0)$/i.test(value)) return false;
    if (/^true$/i.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a hop count (1, 2) or the proxies\' addresses/CIDRs, not true: trusting every X-Forwarded-For lets any client choose its address' });
      return false;
    }
    if (/^\d+$/.test(value)) {
      if (Number(value) <= MAX_HOPS) return Number(value);
      ctx.addIssue({ code: 'custom', message: `must be a hop count from 1 to ${MAX_HOPS}, or the proxies' addresses/CIDRs` });
      return false;
    }
    const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
    if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'must be false, a hop count or the proxies\' addresses/CIDRs' });
    for (const entry of entries.filter((e) => !isAddressOrRange(e))) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not a hop count, an IP address, a CIDR range or one of loopback, linklocal, uniquelocal` });
    }
    return entries;
  });
