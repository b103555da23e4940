import type { FastifyError, FastifyInstance } from 'fastify';
import { InvalidInputError } from '@rhx/domain';

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

function body(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

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
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(body('PAYLOAD_TOO_LARGE', 'request body is larger than 2 MB'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(body('UNSUPPORTED_MEDIA_TYPE', 'send application/json'));
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.code(400).send(body('MALFORMED_JSON', 'request body is not valid JSON'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(body('MALFORMED_JSON', 'request body is empty'));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(body('BAD_REQUEST', err.message));
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send(body('INTERNAL', 'internal error; the server log has the details'));
  });
}
