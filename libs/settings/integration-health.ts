import type { TargetSystem } from '@rhx/domain';
import { poolOf, type PrismaClient } from '@rhx/db';
import { profilesServing } from './system-fields.js';

/** Codes of a remote that refused the credentials or their rights: the integration is unhealthy. */
const CREDENTIAL_FAILURES = new Set(['AUTHENTICATION', 'PERMISSION']);

/**
 * An integration's health as its calls show it: a call the remote refuses for authentication or
 * permission marks it unhealthy with the remote's reason; the next call that succeeds marks it healthy
 * again. A success costs a write only when the integration is unhealthy, and each process looks at most
 * once per `recheckMs` per system, so a busy push path does not pay a statement per ticket.
 * Health belongs to the target system: it is written to the row of every profile that can serve it
 * (`servicenow` and `proactive`), so it shows whichever profile `TICKET_INTEGRATION` selects.
 */
export class IntegrationHealth {
  private readonly checkedAt = new Map<TargetSystem, number>();
  private readonly pool: ReturnType<typeof poolOf>;

  constructor(
    prisma: PrismaClient,
    private readonly recheckMs = 1000,
  ) {
    this.pool = poolOf(prisma);
  }

  /** After a failed call: unhealthy with the remote's reason when it refused the credentials, else nothing. */
  async failed(system: TargetSystem, code: string, message: string): Promise<void> {
    if (!CREDENTIAL_FAILURES.has(code)) return;
    await this.pool.query(
      `UPDATE integration_settings SET healthy = false, health_message = $1, health_changed_at = now()
       WHERE system = ANY($2::text[]) AND (healthy OR health_message IS DISTINCT FROM $1)`,
      [message, profilesServing(system)],
    );
    this.checkedAt.delete(system);
  }

  /** After a successful call: healthy again if it was not. */
  async succeeded(system: TargetSystem): Promise<void> {
    const now = Date.now();
    if (now - (this.checkedAt.get(system) ?? 0) < this.recheckMs) return;
    this.checkedAt.set(system, now);
    await this.pool.query(
      `UPDATE integration_settings SET healthy = true, health_message = NULL, health_changed_at = now() WHERE system = ANY($1::text[]) AND NOT healthy`,
      [profilesServing(system)],
    );
  }
}
