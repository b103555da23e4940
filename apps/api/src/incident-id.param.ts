import { z } from 'zod';
import { incidentIdSchema, parseOrThrow } from '@rhx/domain';

const idParams = z.object({ id: incidentIdSchema });

/**
 * The `:id` of an incident route, checked against the domain's id rule before any look-up: an id no
 * incident can have is the caller's mistake (400 naming `id`), never a database error, and a
 * well-formed unknown id stays 404.
 * @throws InvalidInputError with the problem at path `id`.
 */
export function incidentIdParam(params: unknown): string {
  return parseOrThrow(idParams, params, 'path').id;
}
