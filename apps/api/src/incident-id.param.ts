import { z } from 'zod';
import { incidentIdSchema, parseOrThrow } from '@rhx/domain';

/** The path parameters of an incident route (the OpenAPI document shows this schema). */
export const incidentIdParams = z.object({ id: incidentIdSchema.describe('The incident id the SIEM gave it.') });

/**
 * The `:id` of an incident route, checked against the domain's id rule before any look-up: an id no
 * incident can have is the caller's mistake (400 naming `id`), never a database error, and a
 * well-formed unknown id stays 404.
 * @throws InvalidInputError with the problem at path `id`.
 */
export function incidentIdParam(params: unknown): string {
  return parseOrThrow(incidentIdParams, params, 'path').id;
}
