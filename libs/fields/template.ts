import { z } from 'zod';
import { incidentSchema } from '@rhx/domain';

// Logic-less templates over an incident: `{{actor.name}}`, `{{severity}}`, `{{mitre.tactics}}`. No code,
// no helpers, no escaping; only own data properties are read, so `__proto__` or `constructor` lead nowhere.

const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SEGMENT = /^[A-Za-z][A-Za-z0-9]*$/;

/** Keys a template may read beside the incident's own fields. */
export const EXTRA_KEYS = ['severity', 'priority', 'deepLink'] as const;

/** What a template reads: the incident (as parsed) plus its severity, the system's priority and the deep link. */
export type TemplateContext = Readonly<Record<string, unknown>>;

/** The paths a template names, in order (`actor.name`), and its syntax problems. */
export function templatePaths(template: string): { paths: string[]; problems: string[] } {
  const paths = [...template.matchAll(TAG)].map((m) => m[1]!);
  const rest = template.replace(TAG, '');
  const problems = rest.includes('{{') || rest.includes('}}') ? ['has a "{{" without its "}}" (or the reverse)'] : [];
  return { paths, problems };
}

/** Why `path` cannot be read from an incident, or null when the schema has it. */
export function pathProblem(path: string): string | null {
  const segments = path.split('.');
  if (path === '' || !segments.every((s) => SEGMENT.test(s))) return `"{{${path}}}" is not a path such as {{actor.name}}`;
  if ((EXTRA_KEYS as readonly string[]).includes(path)) return null;
  let schema: z.ZodType | undefined = incidentSchema;
  for (const segment of segments) {
    schema = childOf(schema, segment);
    if (!schema) return `"{{${path}}}" is not a field of the incident`;
  }
  return null;
}

// The schema of `key` inside an object schema (through optional, nullable, default, array and pipe wrappers).
function childOf(schema: z.ZodType | undefined, key: string): z.ZodType | undefined {
  let s = schema;
  for (let i = 0; i < 10 && s; i++) {
    if (s instanceof z.ZodObject) return Object.hasOwn(s.shape, key) ? (s.shape as Record<string, z.ZodType>)[key] : undefined;
    const def = (s as unknown as { def: Record<string, unknown> }).def;
    s = (def.innerType ?? def.element ?? def.in ?? def.schema) as z.ZodType | undefined;
  }
  return undefined;
}

/** Renders `template` against `context`: a list comma-separated (objects by name, else id), a missing value empty. */
export function renderTemplate(template: string, context: TemplateContext): string {
  return template.replace(TAG, (_, path: string) => text(read(context, path)));
}

function read(context: TemplateContext, path: string): unknown {
  let value: unknown = context;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).filter((t) => t !== '').join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return text(Object.hasOwn(o, 'name') ? o.name : Object.hasOwn(o, 'id') ? o.id : undefined);
  }
  return String(value);
}
