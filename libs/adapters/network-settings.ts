import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';
import type { AdapterOptions } from './adapter-options.js';
import type { FieldProblem, TargetSystem } from '@rhx/domain';
import { SETTING_TEXT, SETTING_TEXT_MESSAGE, text, trimmed } from './settings-body.js';

// One system's own way out (issue 16): a proxy of its own or none, a private CA, a client certificate.
// The same settings for every system, beside the environment's (`HTTPS_PROXY`, `<SYSTEM>_CA_FILE`…),
// which they override field by field; settable through the API and the console like the others.

/** Network settings anyone may read (a proxy's address, a CA's certificates are public). */
export const NETWORK_VISIBLE = ['proxy', 'caBundle'] as const;
/** Network settings that are secrets: write-only and sealed like credentials. */
export const NETWORK_SECRET = ['proxyCredentials', 'clientCert', 'clientKey', 'clientKeyPassphrase'] as const;
/** Settings holding PEM text: the console gives them a text area. */
export const NETWORK_PEM = ['caBundle', 'clientCert', 'clientKey'] as const;

export const NETWORK_LABELS = {
  proxy: 'Proxy',
  caBundle: 'Private CA (PEM)',
  proxyCredentials: 'Proxy credentials',
  clientCert: 'Client certificate (PEM)',
  clientKey: 'Client key (PEM)',
  clientKeyPassphrase: 'Client key passphrase',
} as const;

const PROXY = /^(direct|https?:\/\/[A-Za-z0-9.[\]:-]+(:\d{1,5})?\/?)$/;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** The PEM blocks of `text` of a kind (`CERTIFICATE`, or any `… PRIVATE KEY`). */
function blocks(text: string, kind: RegExp): string[] {
  return [...text.matchAll(PEM_BLOCK)].filter((m) => kind.test(m[1]!)).map((m) => m[0]);
}

const certificates = (what: string) =>
  trimmed()
    .refine((v) => blocks(v, /^CERTIFICATE$/).length > 0, { message: `must be ${what} in PEM (-----BEGIN CERTIFICATE-----)`, abort: true })
    .refine((v) => blocks(v, /^CERTIFICATE$/).every((b) => parses(() => new X509Certificate(b))), 'holds a certificate that does not parse')
    .optional();

function parses(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

/** The settings change's fields for the network (each descriptor's body schema spreads these). */
export const networkBodyShape = {
  proxy: trimmed()
    .regex(PROXY, 'must be `direct` or a proxy URL such as http://proxy.corp.example:3128 (credentials go in proxyCredentials)')
    .optional()
    .describe('This system’s egress proxy, instead of HTTPS_PROXY/HTTP_PROXY: a URL, or `direct` for none. NO_PROXY still applies.'),
  proxyCredentials: trimmed()
    .regex(SETTING_TEXT, { message: SETTING_TEXT_MESSAGE, abort: true })
    .refine((v) => v.includes(':'), 'must be user:password')
    .optional()
    .describe('`user:password` for the proxy (Basic). Write-only.'),
  caBundle: certificates('one or more CA certificates').describe('The private CA that signed the remote’s certificate, beside the public ones (never instead).'),
  clientCert: certificates('a client certificate (mutual TLS)').describe('Write-only. With clientKey.'),
  clientKey: trimmed()
    .refine((v) => blocks(v, /PRIVATE KEY$/).length === 1, 'must be one private key in PEM (-----BEGIN PRIVATE KEY----- or an encrypted one)')
    .optional()
    .describe('Write-only. With clientCert.'),
  clientKeyPassphrase: text('Write-only: the client key’s passphrase, when it is encrypted.'),
};

type Values = Readonly<Record<string, unknown>>;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Problems with the network settings as they will be stored (`values`, merged): a client certificate
 * without its key (or the other way round), a key that does not open with its passphrase or does not
 * match the certificate, a proxy whose host the allowed-hosts rule refuses. Each names its field.
 */
export function networkProblems(values: Values, options: Pick<AdapterOptions, 'hostPolicy'>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const [cert, key, passphrase, proxy] = [str(values.clientCert), str(values.clientKey), str(values.clientKeyPassphrase), str(values.proxy)];
  if (Boolean(cert) !== Boolean(key)) problems.push({ path: cert ? 'clientKey' : 'clientCert', message: 'is needed too: a client certificate goes with its key' });
  if (cert && key) {
    try {
      createSecureContext({ cert, key, ...(passphrase ? { passphrase } : {}) });
    } catch (err) {
      const why = String((err as Error).message);
      problems.push(/bad decrypt|passphrase|decrypt/i.test(why)
        ? { path: 'clientKeyPassphrase', message: 'does not open the client key' }
        : { path: 'clientKey', message: 'does not match the client certificate (or is not a usable key)' });
    }
  }
  if (proxy && proxy !== 'direct') {
    const refusal = options.hostPolicy?.refusalOf(new URL(proxy));
    if (refusal) problems.push({ path: 'proxy', message: refusal });
  }
  return problems;
}

/** The options an adapter for `system` connects with once its own network settings are laid over the environment's. */
export function withNetworkSettings(system: TargetSystem, values: Values, options: AdapterOptions): AdapterOptions {
  const proxy = str(values.proxy);
  const credentials = str(values.proxyCredentials);
  const tls = {
    ...options.tls?.[system],
    ...(str(values.caBundle) ? { ca: str(values.caBundle) } : {}),
    ...(str(values.clientCert) ? { cert: str(values.clientCert), key: str(values.clientKey) } : {}),
    ...(str(values.clientKeyPassphrase) ? { passphrase: str(values.clientKeyPassphrase) } : {}),
  };
  const { proxy: envProxy, ...rest } = options;
  let chosen = envProxy;
  if (proxy === 'direct') chosen = undefined;
  else if (proxy) {
    const url = new URL(proxy);
    if (credentials) {
      const at = credentials.indexOf(':');
      url.username = encodeURIComponent(credentials.slice(0, at));
      url.password = encodeURIComponent(credentials.slice(at + 1));
    }
    chosen = { httpsProxy: url.toString(), httpProxy: url.toString(), noProxy: envProxy?.noProxy ?? [] };
  }
  return {
    ...rest,
    ...(chosen ? { proxy: chosen } : {}),
    ...(Object.keys(tls).length > 0 ? { tls: { ...options.tls, [system]: tls } } : {}),
  };
}
