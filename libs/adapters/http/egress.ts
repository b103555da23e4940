import { rootCertificates } from 'node:tls';
import type { ClientRequestArgs } from 'node:http';
import type { RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { HostNotAllowedError, type GuardedAgents } from './guarded-agents.js';
import type { HostPolicy } from './host-policy.js';

/** The egress proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`): where calls to ticketing systems go first. */
export interface ProxySettings {
  httpsProxy?: string;
  httpProxy?: string;
  /** Hosts reached directly: names (a leading `.` or `*.` for a domain and its subdomains), `host:port`, or `*`. */
  noProxy: readonly string[];
}

/** The proxy settings of an environment (upper or lower case, as curl reads them); undefined when there is none. */
export function proxySettingsFrom(env: Readonly<Record<string, string | undefined>>): ProxySettings | undefined {
  const pick = (name: string) => env[name] || env[name.toLowerCase()] || undefined;
  const httpsProxy = pick('HTTPS_PROXY');
  const httpProxy = pick('HTTP_PROXY');
  if (!httpsProxy && !httpProxy) return undefined;
  const noProxy = (pick('NO_PROXY') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return { ...(httpsProxy ? { httpsProxy } : {}), ...(httpProxy ? { httpProxy } : {}), noProxy };
}

/** Whether `host:port` is reached directly, by `NO_PROXY`. */
export function bypassesProxy(host: string, port: number, noProxy: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const [pattern = '', entryPort] = entry.startsWith('[') ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]] : entry.split(':');
    if (entryPort && Number(entryPort) !== port) return false;
    const domain = pattern.replace(/^\*?\./, '');
    return name === domain || name.endsWith(`.${domain}`);
  });
}

/** A system's own TLS material: a private CA (added to the public ones) and a client certificate. */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
}

/** got's `https` options for `tls`: the CA beside Node's own roots (never instead of them), the client certificate. */
export function httpsOptionsFor(tls: TlsMaterial | undefined): Record<string, unknown> {
  if (!tls) return {};
  return {
    ...(tls.ca ? { certificateAuthority: [...rootCertificates, tls.ca] } : {}),
    ...(tls.cert ? { certificate: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    ...(tls.passphrase ? { passphrase: tls.passphrase } : {}),
  };
}

// Through a proxy the target's address is resolved by the proxy, so the allowed-hosts rule is checked on
// what the request names: an address literal by its address, a name only when the policy names it or it
// is not an obviously local name. The proxy itself is the operator's and is trusted.
function refusedThroughProxy(policy: HostPolicy | undefined, host: string | null | undefined): HostNotAllowedError | undefined {
  if (!policy || !host) return undefined;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (policy.allowsName(bare)) return undefined;
  if (isIP(bare)) return policy.allowsAddress(bare) ? undefined : new HostNotAllowedError(bare, bare);
  return /^localhost\.?$|\.localhost\.?$|\.local\.?$|\.internal\.?$/i.test(bare) ? new HostNotAllowedError(bare, 'a local name') : undefined;
}

type ConnectionCallback = (err: Error | null, stream: Duplex) => void;
type Connect = (options: unknown, callback: ConnectionCallback) => Duplex | undefined;

/** The tunnel is opened only for a target the policy allows; a refused one fails the request at once. */
function tunnelUnlessRefused(policy: HostPolicy | undefined, host: string | null | undefined, callback: ConnectionCallback, open: () => Duplex | undefined) {
  const refused = refusedThroughProxy(policy, host);
  if (!refused) return open();
  process.nextTick(() => callback(refused, undefined as unknown as Duplex));
  return undefined;
}

class GuardedHttpProxyAgent extends HttpProxyAgent {
  constructor(private readonly policy: HostPolicy | undefined, options: ConstructorParameters<typeof HttpProxyAgent>[0]) {
    super(options);
  }
  override createConnection(options: ClientRequestArgs, callback: ConnectionCallback) {
    const open = (HttpProxyAgent.prototype as unknown as { createConnection: Connect }).createConnection;
    return tunnelUnlessRefused(this.policy, options.host, callback, () => open.call(this, options, callback));
  }
}

class GuardedHttpsProxyAgent extends HttpsProxyAgent {
  constructor(private readonly policy: HostPolicy | undefined, options: ConstructorParameters<typeof HttpsProxyAgent>[0]) {
    super(options);
  }
  override createConnection(options: RequestOptions, callback: ConnectionCallback) {
    const open = (HttpsProxyAgent.prototype as unknown as { createConnection: Connect }).createConnection;
    return tunnelUnlessRefused(this.policy, options.host, callback, () => open.call(this, options, callback));
  }
}

const byProxy = new Map<string, WeakMap<object, GuardedAgents>>();
const NO_POLICY = {};

/** Keep-alive agents tunnelling through the proxy (CONNECT), one pair per proxy and policy, shared. */
export function proxyAgents(proxy: ProxySettings, policy: HostPolicy | undefined): GuardedAgents {
  const key = `${proxy.httpProxy ?? ''} ${proxy.httpsProxy ?? ''}`;
  const perPolicy = byProxy.get(key) ?? new WeakMap<object, GuardedAgents>();
  byProxy.set(key, perPolicy);
  let agents = perPolicy.get(policy ?? NO_POLICY);
  if (!agents) {
    const options = { keepAlive: true, timeout: 5000 };
    const httpsProxy = proxy.httpsProxy ?? proxy.httpProxy!;
    const httpProxy = proxy.httpProxy ?? proxy.httpsProxy!;
    agents = { http: new GuardedHttpProxyAgent(policy, { ...options, proxy: httpProxy }), https: new GuardedHttpsProxyAgent(policy, { ...options, proxy: httpsProxy }) };
    perPolicy.set(policy ?? NO_POLICY, agents);
  }
  return agents;
}
