import { InvalidInputError, jsonPath, type FieldProblem } from '@rhx/domain';

const FORBIDDEN_KEY_MESSAGE = 'is a key this API refuses: it would reach an object’s prototype';

function forbiddenKeys(value: unknown, path: (string | number)[], out: FieldProblem[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => forbiddenKeys(item, [...path, i], out));
    return;
  }
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    // The two keys Fastify's parser refuses (secure-json-parse): `__proto__`, and `constructor.prototype`.
    if (key === '__proto__') out.push({ path: jsonPath([...path, key]), message: FORBIDDEN_KEY_MESSAGE });
    else if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) {
      out.push({ path: jsonPath([...path, key, 'prototype']), message: FORBIDDEN_KEY_MESSAGE });
    } else forbiddenKeys(child, [...path, key], out);
  }
}

/**
 * Why Fastify's JSON parser refused `text`, when the reason is a key rather than the syntax: the body is
 * JSON, but holds `__proto__` (or `constructor.prototype`), which could reach an object's prototype once
 * merged. Answered as a bad body naming each such key instead of "not valid JSON". `JSON.parse` itself
 * makes such keys plain own properties, so reading them here is safe; the body is refused either way.
 */
export function forbiddenKeyError(text: string): InvalidInputError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const problems: FieldProblem[] = [];
  forbiddenKeys(value, [], problems);
  return problems.length > 0 ? new InvalidInputError('body', problems) : undefined;
}
