import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { TicketError } from '../ticket-error.js';
import { errorForStatus } from './status-errors.js';
import { JsonClient } from './json-client.js';

// A real server, so the client gets the raw compressed bytes exactly as sent (msw would hand over the
// body already made). Gzip members concatenate: one megabyte of `x` compresses to about a kilobyte,
// so a body of a few hundred kilobytes inflates to hundreds of megabytes.
const MIB = 1024 * 1024;
const MEGABYTE_OF_X = gzipSync(Buffer.alloc(MIB, 'x'));
const EMPTY_MEMBER = gzipSync(Buffer.alloc(0));

/** What the server sent on its last streamed answer; `closed` settles when that answer's connection closed. */
interface Sent {
  bytes: number;
  total: number;
  closed: Promise<void>;
}

let server: Server;
let base: string;
let last: Sent = { bytes: 0, total: 0, closed: Promise.resolve() };

// Writes `parts` one after the other, each only once the previous one drained, stopping when the client goes.
async function stream(res: ServerResponse, parts: Iterable<Buffer>, total: number, encoding: 'gzip' | 'none' = 'gzip'): Promise<void> {
  const closed = new Promise<void>((resolve) => res.once('close', resolve));
  last = { bytes: 0, total, closed };
  res.writeHead(200, { 'content-type': 'application/json', ...(encoding === 'gzip' ? { 'content-encoding': 'gzip' } : {}) });
  for (const part of parts) {
    if (res.destroyed) return;
    last.bytes += part.length;
    if (!res.write(part)) await Promise.race([new Promise((resolve) => res.once('drain', resolve)), closed]);
  }
  res.end();
}

function* repeat(head: Buffer, member: Buffer, times: number, tail: Buffer): Iterable<Buffer> {
  yield head;
  for (let i = 0; i < times; i += 1) yield member;
  yield tail;
}

const ANSWERS: Record<string, (res: ServerResponse) => void | Promise<void>> = {
  // Valid JSON of 100 MB: `{"pad":"xxxx…"}`, about 100 KB on the wire.
  '/bomb': (res) => {
    const head = gzipSync('{"pad":"');
    const tail = gzipSync('"}');
    return stream(res, repeat(head, MEGABYTE_OF_X, 100, tail), head.length + 100 * MEGABYTE_OF_X.length + tail.length);
  },
  // The same, without end in practice: 256 GB inflated, 270 MB on the wire, far more than socket buffers hold.
  '/endless': (res) => stream(res, repeat(gzipSync('{"pad":"'), MEGABYTE_OF_X, 256 * 1024, gzipSync('"}')), 256 * 1024 * MEGABYTE_OF_X.length),
  // Plain JSON without end in practice: 4 GiB of `x`, no Content-Encoding (most answers are plain).
  '/endless-plain': (res) => stream(res, repeat(Buffer.from('{"pad":"'), Buffer.alloc(MIB, 'x'), 4096, Buffer.from('"}')), 4096 * MIB, 'none'),
  // A plain answer whose connection drops a tenth of the way through the body its Content-Length promised.
  '/cut': (res) => {
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write(`{"key":"SEC-9","pad":"${'x'.repeat(80)}`);
    setTimeout(() => res.destroy(), 20);
  },
  '/plain-full': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"pad":"${'x'.repeat(MIB - 10)}"}`);
  },
  // `{}` and then 1.2 MB of empty gzip members: nothing more inflated, but too much received.
  '/padded': (res) => {
    const head = gzipSync('{}');
    const times = Math.ceil((1.2 * MIB) / EMPTY_MEMBER.length);
    return stream(res, repeat(head, EMPTY_MEMBER, times, EMPTY_MEMBER), head.length + (times + 1) * EMPTY_MEMBER.length);
  },
  '/gzip': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync('{"key":"SEC-1"}'));
  },
  '/deflate': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
    res.end(deflateSync('{"key":"SEC-3"}'));
  },
  // Some servers label even an empty 204 (Jira's answer to an update) with their usual encoding.
  '/empty': (res) => {
    res.writeHead(204, { 'content-encoding': 'gzip' });
    res.end();
  },
  '/br': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
    res.end(brotliCompressSync('{"key":"SEC-2"}'));
  },
  // Exactly 1 MiB of JSON once inflated: the largest answer read.
  '/full': (res) => {
    const body = `{"pad":"${'x'.repeat(MIB - 10)}"}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync(body));
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = ANSWERS[req.url ?? ''];
    if (answer) void answer(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = new JsonClient({
  system: 'Jira Cloud',
  targetSystem: 'jira',
  headers: {},
  httpTimeoutMs: 5000,
  secrets: [],
  classify: (answer, ctx) => errorForStatus(answer, undefined, ctx),
});
const anything = z.object({}).passthrough();

async function failure(promise: Promise<unknown>): Promise<TicketError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TicketError);
  return error as TicketError;
}

describe('an answer larger than 1 MiB', () => {
  test('a gzip body that inflates to 100 MB fails as an unexpected response, retryable', async () => {
    const error = await failure(client.send({ method: 'GET', url: `${base}/bomb` }, anything));
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 });
    expect(error.message).toBe('Jira Cloud answered HTTP 200 with an unexpected response: an answer larger than 1 MiB once decompressed; it was not read further');
  });

  test('an endless gzip stream is abandoned early: the client hangs up long before the server ran out', async () => {
    const error = await failure(client.send({ method: 'GET', url: `${base}/endless` }, anything));
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', httpStatus: 200 });
    expect(error.message).toMatch(/an answer larger than 1 MiB once decompressed/);
    await last.closed;
    // What was sent fits in the two sockets' buffers (at most 32 MiB + 4 MiB with Linux's defaults), far short of the whole.
    expect(last.bytes).toBeLessThan(64 * MIB);
    expect(last.total).toBeGreaterThan(256 * MIB);
  });

  test('compressed bytes count too: 1.2 MB of empty gzip members fails though it inflates to `{}`', async () => {
    const error = await failure(client.send({ method: 'GET', url: `${base}/padded` }, anything));
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 });
    expect(error.message).toMatch(/an answer larger than 1 MiB as received; it was not read further$/);
  });
});

describe('plain answers (no Content-Encoding)', () => {
  test('an endless one is abandoned at the limit: the client hangs up long before the server ran out', async () => {
    const error = await failure(client.send({ method: 'GET', url: `${base}/endless-plain` }, anything));
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', retryable: true, httpStatus: 200 });
    expect(error.message).toMatch(/an answer larger than 1 MiB as received; it was not read further$/);
    await last.closed;
    expect(last.bytes).toBeLessThan(64 * MIB);
  });

  test('one cut short mid-body fails as a retryable network error, not as a short answer', async () => {
    const error = await failure(client.send({ method: 'POST', url: `${base}/cut`, body: '{}' }, anything));
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  test('exactly 1 MiB is read whole', async () => {
    const answer = await client.send({ method: 'GET', url: `${base}/plain-full` }, z.object({ pad: z.string() }));
    expect(answer.pad).toHaveLength(MIB - 10);
  });
});

describe('compressed answers within the limit', () => {
  test.each([
    ['gzip', '/gzip', 'SEC-1'],
    ['br', '/br', 'SEC-2'],
    ['deflate', '/deflate', 'SEC-3'],
  ])('a %s answer is decoded', async (_name, path, key) => {
    expect(await client.send({ method: 'GET', url: `${base}${path}` }, z.object({ key: z.string() }))).toEqual({ key });
  });

  test('an empty 204 labelled gzip is an empty answer, not a decoding failure', async () => {
    await expect(client.send({ method: 'PUT', url: `${base}/empty`, body: '{}' }, z.unknown())).resolves.toBeUndefined();
  });

  test('exactly 1 MiB once inflated is read whole', async () => {
    const answer = await client.send({ method: 'GET', url: `${base}/full` }, z.object({ pad: z.string() }));
    expect(answer.pad).toHaveLength(MIB - 10);
  });
});
