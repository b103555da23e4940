import { isIP } from 'node:net';

/**
 * `INTEGRATION_ALLOWED_HOSTS`, parsed: which hosts a URL set through the settings API may reach
 * besides public addresses. Plain data, so the configuration stays free of network code; the
 * adapters turn it into a connect-time check.
 */
export interface AllowedHosts {
  /** `*`: every host and address is allowed. */
  any: boolean;
  /** Exact host names, lower case, without a trailing dot. */
  names: string[];
  /** `*.example.com` as `.example.com`: any name below it (not the name itself). */
  suffixes: string[];
  /** IP ranges as `address/prefix` (a bare address is a /32 or /128). */
  networks: string[];
}

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);

/** One entry → how it extends {@link AllowedHosts}, or a problem naming the entry. */
function parseEntry(raw: string, into: AllowedHosts): string | undefined {
  const entry = raw.toLowerCase().replace(/([a-z0-9_])\.$/, '$1');
  if (entry === '*') {
    into.any = true;
    return undefined;
  }
  const bare = entry.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) {
    into.networks.push(`${bare}/${isIP(bare) === 4 ? 32 : 128}`);
    return undefined;
  }
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
  if (cidr) {
    const [, address = '', prefix = ''] = cidr;
    const family = isIP(address);
    if (family && Number(prefix) <= (family === 4 ? 32 : 128)) {
      into.networks.push(`${address}/${Number(prefix)}`);
      return undefined;
    }
    return `"${raw}" is not a CIDR range (address/prefix, prefix up to 32 for IPv4, 128 for IPv6)`;
  }
  if (entry.startsWith('*.') && HOST_NAME.test(entry.slice(2))) {
    into.suffixes.push(entry.slice(1));
    return undefined;
  }
  if (HOST_NAME.test(entry)) {
    into.names.push(entry);
    return undefined;
  }
  return `"${raw}" is not a host name, *.wildcard, IP address or CIDR range (no scheme, port or path)`;
}

/**
 * Parses a comma-separated list of host names, `*.wildcards`, IP addresses and CIDR ranges (`*`
 * allows everything). Returns every bad entry at once.
 */
export function parseAllowedHosts(text: string): { hosts: AllowedHosts; problems: string[] } {
  const hosts: AllowedHosts = { any: false, names: [], suffixes: [], networks: [] };
  const problems: string[] = [];
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const problem = parseEntry(raw, hosts);
    if (problem) problems.push(problem);
  }
  return { hosts, problems };
}
