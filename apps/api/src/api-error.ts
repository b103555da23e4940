import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TicketError } from '@rhx/adapters';
import { SettingsUnreadableError } from '@rhx/settings';
import { InvalidInputError } from '@rhx/domain';
import { isDatabaseUnavailable } from '@rhx/db';

/** An error the API answers with as `{error: {code, message, details?}}`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** What a `503` for an unavailable database asks the client to wait: a restart or failover takes seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

function body(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * A ticketing system's failure met while answering a request, as the API's answer. The request itself
 * was fine, so never a 4xx that blames the caller: the system's settings are wrong (409, fixed with
 * `PUT /v1/integrations/:system`) or the remote failed or refused (502 with its reason; its own 401/404
 * would read as ours). The message is the TicketError's, which adapters scrub of every credential.
 */
export function ticketErrorAnswer(err: TicketError): { status: number; code: string; message: string; details?: unknown; retryAfterSeconds?: number } {
  if (err.code === 'CONFIGURATION') return { status: 409, code: 'TARGET_MISCONFIGURED', message: err.message };
  const details = { reason: err.code, ...(err.httpStatus === undefined ? {} : { remoteStatus: err.httpStatus }) };
  const retryAfterSeconds = err.retryAfterMs === undefined ? undefined : Math.ceil(err.retryAfterMs / 1000);
  return { status: 502, code: 'REMOTE_ERROR', message: err.message, details, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
}

/**
 * Failures Fastify meets before any route runs (passed as its `frameworkErrors` option): a URL that is
 * not valid percent-encoding, a path parameter over `maxParamLength`.
 */
export function frameworkErrorReply(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_BAD_URL') void reply.code(400).send(body('BAD_URL', 'the request URL is not valid percent-encoding'));
  else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') void reply.code(414).send(body('URI_TOO_LONG', 'a path parameter is too long'));
  else void reply.code(400).send(body('BAD_REQUEST', 'the request cannot be routed'));
}

const FASTIFY_CODES: Record<string, [status: number, code: string, message: string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'request body is larger than 2 MB'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'MALFORMED_JSON', 'request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'MALFORMED_JSON', 'request body is empty'],
};

/** One place that turns every failure into the error envelope; never a stack trace. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(body('NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`));
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send(body(err.code, err.message, err.details));
    if (err instanceof InvalidInputError) {
      return reply.code(400).send(body('INVALID_INPUT', err.message, err.problems));
    }
    if (err instanceof SettingsUnreadableError) return reply.code(409).send(body('SETTINGS_UNREADABLE', err.message));
    if (err instanceof TicketError) {
      const answer = ticketErrorAnswer(err);
      request.log.warn({ code: err.code, httpStatus: err.httpStatus, err: err.message }, 'ticketing system failed during a request');
      if (answer.retryAfterSeconds !== undefined) void reply.header('retry-after', String(answer.retryAfterSeconds));
      return reply.code(answer.status).send(body(answer.code, answer.message, answer.details));
    }
    // The database restarting or failing over: a client tries again shortly; nothing was accepted.
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err: err.message }, 'the database is unavailable');
      return reply.code(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send(body('DATABASE_UNAVAILABLE', 'the database is unavailable (restarting or failing over); nothing was changed, try again shortly'));
    }
    const known = FASTIFY_CODES[err.code];
    if (known) return reply.code(known[0]).send(body(known[1], known[2]));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(body('BAD_REQUEST', err.message));
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send(body('INTERNAL', 'internal error; the server log has the details'));
  });
}
