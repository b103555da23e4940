import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The allow-list as the configuration parses it (`INTEGRATION_ALLOWED_HOSTS`). */
export interface AllowedHostList {
  any: boolean;
  names: readonly string[];
  suffixes: readonly string[];
  networks: readonly string[];
}

type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * True for an address on the public internet: not loopback, private (RFC 1918, ULA), link-local
 * (cloud metadata included), CGNAT, multicast, unspecified, documentation, 6to4/NAT64 wrappers or any
 * other special-purpose range. An IPv4-mapped IPv6 address is judged as its IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  if (ip.range() !== 'unicast') return false;
  return ip.kind() === 'ipv4' || (ip as ipaddr.IPv6).match(GLOBAL_UNICAST_V6);
}

/**
 * Which hosts the adapters may connect to: public addresses, plus what the operator listed. A listed
 * name may resolve to any address (the operator vouches for it); a listed range allows any name that
 * resolves into it.
 */
export class HostPolicy {
  private readonly networks: Network[];

  constructor(private readonly list: AllowedHostList) {
    this.networks = list.networks.map((n) => ipaddr.parseCIDR(n));
  }

  /** A policy that allows every host: for processes and tests that check nothing. */
  static allowAll(): HostPolicy {
    return new HostPolicy({ any: true, names: [], suffixes: [], networks: [] });
  }

  /** The host name is listed by name or by `*.wildcard` (or everything is allowed). */
  allowsName(host: string): boolean {
    const name = host.toLowerCase().replace(/\.$/, '');
    return this.list.any || this.list.names.includes(name) || this.list.suffixes.some((s) => name.endsWith(s));
  }

  /** The address is public or inside a listed range. */
  allowsAddress(address: string): boolean {
    if (this.list.any || isPublicAddress(address)) return true;
    if (!ipaddr.isValid(address)) return false;
    const ip = ipaddr.process(address);
    return this.networks.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
  }

  /**
   * Why a URL's host is refused before any connection, or `undefined`: an address literal is judged
   * as an address, `localhost` names as loopback; other names are judged by what they resolve to at
   * connect time.
   */
  refusalOf(url: URL): string | undefined {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (this.allowsName(host)) return undefined;
    if (isIP(host)) return this.allowsAddress(host) ? undefined : notAllowed(host);
    if (/(^|\.)localhost\.?$/i.test(host)) return notAllowed(host);
    return undefined;
  }
}

function notAllowed(host: string): string {
  return `host ${host} is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it`;
}
