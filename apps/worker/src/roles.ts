/**
 * Worker roles (CONTRACT §1). `ingest` stores incident and risk events and opens their deliveries; `push`
 * makes each delivery's first attempt and, so that deployments started with `--role push` keep working,
 * ingests too.
 */
export const ROLES = ['ingest', 'push', 'retry', 'sync'] as const;
export type Role = (typeof ROLES)[number];

/** Parses `--role a,b` (default: every role). @throws Error naming the unknown role. */
export function parseRoles(argv: readonly string[]): Role[] {
  const i = argv.findIndex((a) => a === '--role' || a.startsWith('--role='));
  if (i === -1) return ['push', 'retry', 'sync'];
  const arg = argv[i] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  const roles = (value ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  if (roles.length === 0) throw new Error(`--role needs a comma list of ${ROLES.join(', ')}`);
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) throw new Error(`unknown role "${role}"; roles are ${ROLES.join(', ')}`);
  }
  const unique = [...new Set(roles)] as Role[];
  // `push` runs the ingest consumer itself: one per process, however the roles are written.
  return unique.includes('push') ? unique.filter((r) => r !== 'ingest') : unique;
}
