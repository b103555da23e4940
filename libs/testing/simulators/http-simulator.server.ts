import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatedFault, SimulatorFaults } from './simulator-faults.js';

/** One request as a simulated API sees it. */
export interface SimulatorRequest {
  method: string;
  /** Pathname without the simulator's context path. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body text, exactly as sent. */
  body: string;
}

/**
 * What a simulated API answers; `created` marks a successful create (see `createThenFail`), `updated`
 * a successful update of a ticket (see `updateThenFail`).
 */
export interface SimulatorReply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  created?: boolean;
  updated?: boolean;
}

/** A request in a simulator's log, with what it was answered (`dropped` when the socket was cut). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  status: number | 'dropped';
  /** When it arrived (`Date.now()`). */
  at: number;
}

/** A running loopback server. */
export interface RunningSimulator {
  url: string;
  close(): Promise<void>;
  requests(): RecordedRequest[];
}

const HTML_PAGE = '<!DOCTYPE html><html><head><title>Instance Hibernating</title></head><body><h1>Hibernating</h1></body></html>';

/** Starts `handle` on 127.0.0.1, on a free port, behind the latency and fault switches. */
export async function startHttpSimulator(
  handle: (request: SimulatorRequest) => SimulatorReply,
  options: { faults: SimulatorFaults; latencyMs?: number; contextPath?: string },
): Promise<RunningSimulator> {
  const log: RecordedRequest[] = [];
  const contextPath = (options.contextPath ?? '').replace(/\/+$/, '');
  const server = createServer((req, res) => {
    void serve(req, res).catch(() => res.destroy());
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req, contextPath);
    const entry: RecordedRequest = { ...request, query: Object.fromEntries(request.query), status: 'dropped', at: Date.now() };
    log.push(entry);
    if (options.latencyMs) await sleep(options.latencyMs);
    const fault = options.faults.take(request.method, request.path);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.holdUntil) await fault.holdUntil;
    const reply = fault && answersItself(fault) ? faultReply(fault) : safely(handle, request);
    const failure = reply === 'drop' ? undefined : await appliedFailure(options.faults, reply);
    if (reply === 'drop' || failure === 'drop') return void res.destroy();
    const sent = failure === 'status500' ? serverError() : reply;
    entry.status = sent.status;
    send(res, sent);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${contextPath}`,
    requests: () => log.map((r) => ({ ...r })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readRequest(req: IncomingMessage, contextPath: string): Promise<SimulatorRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://simulator');
  const path = contextPath && url.pathname.startsWith(contextPath) ? url.pathname.slice(contextPath.length) : url.pathname;
  return { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
}

// A bug in a simulated route answers 500 with the reason instead of hanging the client.
function safely(handle: (request: SimulatorRequest) => SimulatorReply, request: SimulatorRequest): SimulatorReply {
  try {
    return handle(request);
  } catch (error) {
    return { status: 500, json: { error: { message: `simulator failure: ${String(error)}` } } };
  }
}

// A create or update the simulated API applied may still fail on the way back (createThenFail, updateThenFail).
async function appliedFailure(faults: SimulatorFaults, reply: SimulatorReply): Promise<'status500' | 'drop' | undefined> {
  if (reply.created) return faults.takeCreateFailure();
  if (reply.updated) return faults.takeUpdateFailure();
  return undefined;
}

function answersItself(fault: SimulatedFault): boolean {
  return fault.status !== undefined || fault.body !== undefined || fault.html === true || fault.dropConnection === true;
}

function faultReply(fault: SimulatedFault): SimulatorReply | 'drop' {
  if (fault.dropConnection) return 'drop';
  const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
  if (fault.html) return { status: fault.status ?? 200, text: HTML_PAGE, headers: { ...headers, 'content-type': 'text/html' } };
  const status = fault.status ?? 503;
  if (typeof fault.body === 'string') return { status, text: fault.body, headers };
  return { status, json: fault.body ?? { error: 'simulated fault', status }, headers };
}

function serverError(): SimulatorReply {
  return { status: 500, json: { error: { message: 'simulated failure after the change was applied' } } };
}

function send(res: ServerResponse, reply: SimulatorReply): void {
  const headers = { ...reply.headers };
  let body = reply.text ?? '';
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    headers['content-type'] ??= 'application/json;charset=UTF-8';
  }
  res.writeHead(reply.status, headers);
  res.end(body);
}
