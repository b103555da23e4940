import type { TargetSystem } from '@rhx/domain';
import type { AdapterOptions } from './adapter-options.js';
import type { JsonClientOptions } from './http/index.js';

/** What every client of one adapter shares: the remote's name, limits, egress and error envelope (not who signs in). */
export type RemoteHttp = Omit<JsonClientOptions, 'headers' | 'secrets' | 'auth' | 'base'>;

/** {@link RemoteHttp} for `remote` from the process options: host policy, proxy, the system's TLS, throttle, clock. */
export function remoteHttp(
  options: AdapterOptions,
  remote: { system: string; targetSystem: TargetSystem } & Pick<JsonClientOptions, 'classify' | 'classifyTransport' | 'verifyTls'>,
): RemoteHttp {
  return {
    ...remote,
    httpTimeoutMs: options.httpTimeoutMs,
    ...(options.hostPolicy ? { hostPolicy: options.hostPolicy } : {}),
    ...(options.proxy ? { proxy: options.proxy } : {}),
    ...(options.tls?.[remote.targetSystem] ? { tls: options.tls[remote.targetSystem] } : {}),
    ...(options.throttle ? { throttle: options.throttle } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
}
