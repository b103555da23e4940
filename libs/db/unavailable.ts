/**
 * Whether `err` says the database cannot be reached or is going away (a restart, a failover, a pooler
 * that lost its server), as opposed to a statement it refused: the first is worth trying again in a
 * moment, and an API answers it `503`, never `500`. Decided by codes, never by message text, except for
 * node-postgres's own connection messages, which carry no code.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    // 08xxx connection exceptions; 57P01–57P03 admin/crash shutdown and "cannot connect now" (starting up);
    // 53300 too many connections; socket errors of a server that is not there.
    if (/^08/.test(code) || /^57P0[123]$/.test(code) || code === '53300') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(code)) return true;
    // Prisma's "can't reach database server" and friends (P1001, P1002, P1017).
    if (['P1001', 'P1002', 'P1017'].includes(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(message)) return true;
  }
  return false;
}
