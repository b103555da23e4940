import { z } from 'zod';

/** One problem with an input, named by its JSON path (`risk.score`, `rules[3].count`). */
export interface FieldProblem {
  path: string;
  message: string;
}

export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '$' : out;
}

/** Every zod issue as a field problem, in order, so a caller can report all of them at once. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message }));
}

/** Thrown when an input fails its schema; carries every problem. */
export class InvalidInputError extends Error {
  readonly problems: FieldProblem[];
  constructor(what: string, problems: FieldProblem[]) {
    super(`${what} is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'InvalidInputError';
    this.problems = problems;
  }
}

/** Parses `input` with `schema`, throwing {@link InvalidInputError} that lists every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError(what, fieldProblems(result.error));
  return result.data;
}

/**
 * A paging cursor this API gave out, parsed back with `decode`; anything else is refused, naming the
 * parameter, instead of silently restarting from the first page.
 */
export function opaqueCursor<T>(decode: (text: string) => T | undefined) {
  return z.string().transform((text, ctx) => {
    const cursor = decode(text);
    if (!cursor) ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out; pass nextCursor back unchanged' });
    return cursor ?? z.NEVER;
  });
}

const ROW_ID = /^[1-9][0-9]{0,18}$/;
const MAX_ROW_ID = 2n ** 63n - 1n;

/**
 * The cursor of a keyset page over a bigserial id (rows appended later sort after it): base64url of
 * `<tag><id>`, the tag telling one list's cursor from another's. `decode` answers undefined for anything
 * `encode` did not make (truncated, edited, another list's).
 */
export function rowIdCursor(tag: string): { encode: (id: bigint | string) => string; decode: (text: string) => bigint | undefined } {
  return {
    encode: (id) => Buffer.from(`${tag}${id}`, 'utf8').toString('base64url'),
    decode: (text) => {
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(text)) return undefined;
      const decoded = Buffer.from(text, 'base64url').toString('utf8');
      if (!decoded.startsWith(tag) || !ROW_ID.test(decoded.slice(tag.length))) return undefined;
      const id = BigInt(decoded.slice(tag.length));
      return id <= MAX_ROW_ID ? id : undefined;
    },
  };
}

const DECIMAL_DIGITS = /^\d{1,15}$/;

/**
 * A whole-number query parameter (`limit`): plain decimal digits only, then `min`..`max`, `fallback` when
 * absent. `z.coerce` would read `0x10`, `1e1`, `5.0`, ` 5` and an empty value as numbers; each is refused
 * here, naming the parameter. The document shows an integer with its bounds and default (what a client
 * serialises as digits).
 */
export function queryInteger(min: number, max: number, fallback: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && DECIMAL_DIGITS.test(value) ? Number(value) : value),
    z
      .number({ error: `must be a whole number written in decimal digits, ${min} to ${max}` })
      .int()
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      // Inside the preprocess, so the document (which shows the inner schema) shows the default too.
      .default(fallback),
  );
}
