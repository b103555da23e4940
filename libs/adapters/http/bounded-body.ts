import { RequestError } from 'got';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * The largest answer read from a ticketing system, counted twice: on the bytes received and on the
 * bytes they decompress to. The largest real answers (an issue with its fields, a page of create
 * metadata) are tens of kilobytes; a megabyte is a proxy's page, a wrong endpoint or a gzip bomb.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Which count went over the limit: the bytes as received, or what they decompressed to. */
export type AnswerCount = 'received' | 'decompressed';

/** An answer went over {@link MAX_ANSWER_BYTES}; reading stopped there, the rest was never inflated. */
export class AnswerTooLargeError extends Error {
  constructor(
    readonly count: AnswerCount,
    readonly limitBytes: number,
  ) {
    super(`answer larger than ${limitBytes} bytes ${count}`);
    this.name = 'AnswerTooLargeError';
  }
}

/** A `Content-Encoding` the client could not undo: the body was not what the header said. */
export class AnswerDecodingError extends Error {
  constructor(cause: unknown) {
    super('the answer could not be decompressed', { cause });
    this.name = 'AnswerDecodingError';
  }
}

/** Content codings the client asks for (`Accept-Encoding`) and can undo. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

/**
 * Reads `raw` (the body exactly as received) to its end, undoing `contentEncoding`, and returns the
 * decoded bytes. Streams and counts both sides: the moment either count passes `limitBytes` the
 * pipeline is destroyed (so is `raw`, and with it the connection) and {@link AnswerTooLargeError} is
 * thrown; a gzip bomb is inflated by at most one zlib chunk past the limit, never whole.
 * An encoding it does not know is passed through unchanged, as got itself does.
 */
export async function readBoundedBody(raw: Readable, contentEncoding: string | string[] | undefined, limitBytes: number): Promise<Buffer> {
  const decoders = decodersFor(contentEncoding);
  if (decoders.length === 0) return readPlain(raw, limitBytes);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const received = byteLimit('received', limitBytes);
  try {
    await pipeline([raw, received.stream, ...decoders, byteLimit('decompressed', limitBytes).stream, sink]);
  } catch (error) {
    // Got's errors (the connection, the timeout) and the limit pass through; the counters and the sink
    // fail in no other way, so whatever else stopped the pipeline came from a decoder.
    if (error instanceof RequestError || error instanceof AnswerTooLargeError) throw error;
    // No bytes at all under a Content-Encoding (a 204 labelled gzip) is an empty body, as got had it.
    if (received.bytes() === 0) return Buffer.alloc(0);
    throw new AnswerDecodingError(error);
  }
  return Buffer.concat(chunks);
}

/**
 * An answer with nothing to undo (nearly every one): read straight off `raw`, counted as received. A
 * five-stream pipeline per answer cost the push worker ~0.05 ms of CPU per request (`bench/` row f).
 * Past the limit `raw` is destroyed, as the pipeline does; an answer cut short fails as got says.
 */
function readPlain(raw: Readable, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    const done = (error?: Error) => {
      raw.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, seen));
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      chunks.push(chunk);
      if (seen <= limitBytes) return;
      done(new AnswerTooLargeError('received', limitBytes));
      raw.destroy();
    };
    const onEnd = () => done();
    // Closed without an end or an error of its own: the answer was cut short.
    const onClose = () => done(Object.assign(new Error('the answer ended before its end'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    raw.on('data', onData).once('end', onEnd).once('error', done).once('close', onClose);
  });
}

// Passes bytes through, counting them; one past `limitBytes` fails the pipeline.
function byteLimit(count: AnswerCount, limitBytes: number): { stream: Transform; bytes: () => number } {
  let seen = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limitBytes) done(new AnswerTooLargeError(count, limitBytes));
      else done(null, chunk);
    },
  });
  return { stream, bytes: () => seen };
}

// Codings apply in the order listed, so they are undone last first. An unknown one leaves the body as is.
function decodersFor(header: string | string[] | undefined): Transform[] {
  const codings = [header ?? ''].flat().join(',').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  const decoders: Transform[] = [];
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(createGunzip());
    else if (coding === 'deflate') decoders.push(createInflate());
    else if (coding === 'br') decoders.push(createBrotliDecompress());
    else return [];
  }
  return decoders;
}
