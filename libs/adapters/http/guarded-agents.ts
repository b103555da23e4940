import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent as HttpAgent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions, type RequestOptions } from 'node:https';
import { isIP, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { HostPolicy } from './host-policy.js';

/** `code` of the error a refused connection fails with; the transport classifier keys on it. */
export const HOST_NOT_ALLOWED = 'ERR_RHX_HOST_NOT_ALLOWED';

/** A connection refused by the {@link HostPolicy}: the host, and (for logs, never for answers) the address it resolved to. */
export class HostNotAllowedError extends Error {
  readonly code = HOST_NOT_ALLOWED;
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, which INTEGRATION_ALLOWED_HOSTS does not allow`);
    this.name = 'HostNotAllowedError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** `dns.lookup` that fails when any address the name resolves to is not allowed. */
function guardedLookup(policy: HostPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = policy.allowsName(hostname) ? undefined : addresses.find((a) => !policy.allowsAddress(a.address));
      if (refused) return callback(new HostNotAllowedError(hostname, refused.address), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** An address literal never goes through `lookup`, so it is judged before connecting. */
function refusedLiteral(policy: HostPolicy, host: string | undefined): HostNotAllowedError | undefined {
  const bare = (host ?? '').replace(/^\[(.*)\]$/, '$1');
  if (!isIP(bare) || policy.allowsName(bare) || policy.allowsAddress(bare)) return undefined;
  return new HostNotAllowedError(bare, bare);
}

/** A socket that fails at once with the refusal, when `host` is an address literal the policy refuses. */
function refusedLiteralSocket(policy: HostPolicy, host: string | null | undefined): Socket | undefined {
  const refused = refusedLiteral(policy, host ?? undefined);
  if (!refused) return undefined;
  const socket = new Socket();
  process.nextTick(() => socket.destroy(refused));
  return socket;
}

// Agents check the address actually connected to, after DNS, so a public-looking name that
// resolves to 127.0.0.1 or 169.254.169.254 is refused too.
class GuardedHttpAgent extends HttpAgent {
  constructor(
    private readonly policy: HostPolicy,
    options: AgentOptions,
  ) {
    super({ ...options, lookup: guardedLookup(policy) } as AgentOptions);
  }
  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void) {
    return refusedLiteralSocket(this.policy, options.host) ?? super.createConnection(options, callback);
  }
}

class GuardedHttpsAgent extends HttpsAgent {
  constructor(
    private readonly policy: HostPolicy,
    options: HttpsAgentOptions,
  ) {
    super({ ...options, lookup: guardedLookup(policy) } as HttpsAgentOptions);
  }
  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void) {
    return refusedLiteralSocket(this.policy, options.host) ?? super.createConnection(options, callback);
  }
}

/** The http and https agents for got (`agent: {http, https}`). */
export interface GuardedAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

const byPolicy = new WeakMap<HostPolicy, GuardedAgents>();

/** One pair of keep-alive agents per policy, shared by every adapter that uses it. */
export function guardedAgents(policy: HostPolicy): GuardedAgents {
  let agents = byPolicy.get(policy);
  if (!agents) {
    const options = { keepAlive: true, timeout: 5000 };
    agents = { http: new GuardedHttpAgent(policy, options), https: new GuardedHttpsAgent(policy, options) };
    byPolicy.set(policy, agents);
  }
  return agents;
}
