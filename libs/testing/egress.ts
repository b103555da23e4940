import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What enterprise networks put between the bridge and a ticketing system, run on loopback in the test
// process: a forward proxy (CONNECT tunnelling, optional Basic proxy auth) that records what passed, and
// a TLS front on a private CA, optionally requiring a client certificate, before a simulator.

/** A forward proxy: `url` for HTTPS_PROXY; `tunnels` lists every CONNECT target, `refused` those it refused. */
export interface ForwardProxy {
  url: string;
  tunnels: string[];
  refused: string[];
  close(): Promise<void>;
}

/** Starts a CONNECT proxy on 127.0.0.1; with `credentials`, a tunnel needs them as Basic proxy auth (else 407). */
export async function startForwardProxy(credentials?: { user: string; password: string }): Promise<ForwardProxy> {
  const tunnels: string[] = [];
  const refused: string[] = [];
  const expected = credentials ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` : undefined;
  const server = createHttpServer((_req, res) => res.writeHead(405).end('only CONNECT is served here'));
  const sockets = new Set<Socket>();
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    const target = req.url ?? '';
    if (expected && req.headers['proxy-authorization'] !== expected) {
      refused.push(target);
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="egress"\r\n\r\n');
      return;
    }
    tunnels.push(target);
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = connect(port, host.replace(/^\[(.*)\]$/, '$1'), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const auth = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@` : '';
  return {
    url: `http://${auth}127.0.0.1:${port}`,
    tunnels,
    refused,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** PEM files of a private CA, a server certificate for localhost from it, and a client certificate from it. */
export interface PrivatePki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** Paths of the same files, for `<SYSTEM>_CA_FILE` and the like. */
  files: { ca: string; clientCert: string; clientKey: string };
  remove(): void;
}

/** Makes a private CA and its certificates with the machine's `openssl`. */
export function makePrivatePki(): PrivatePki {
  const dir = mkdtempSync(join(tmpdir(), 'rhx-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=RhythmX test private CA');
  for (const [name, subject, ext] of [
    ['server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    ['client', '/CN=rhythmx-bridge', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
  return pkiFrom(dir);
}

function pkiFrom(dir: string): PrivatePki {
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    caCert: read('ca.pem'), serverCert: read('server.pem'), serverKey: read('server.key'), clientCert: read('client.pem'), clientKey: read('client.key'),
    files: { ca: join(dir, 'ca.pem'), clientCert: join(dir, 'client.pem'), clientKey: join(dir, 'client.key') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An HTTPS front on the private CA's server certificate that passes every request to `upstream` (a simulator's URL). */
export interface TlsFront {
  url: string;
  close(): Promise<void>;
}

export async function startTlsFront(pki: PrivatePki, upstream: string, options: { requireClientCert?: boolean } = {}): Promise<TlsFront> {
  const target = new URL(upstream);
  const server: Server = createHttpsServer(
    { key: pki.serverKey, cert: pki.serverCert, ca: [pki.caCert], requestCert: options.requireClientCert === true, rejectUnauthorized: options.requireClientCert === true },
    (req, res) => {
      const forward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.writeHead(502).end());
      req.pipe(forward);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `https://localhost:${port}`, close: () => new Promise<void>((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }) };
}
