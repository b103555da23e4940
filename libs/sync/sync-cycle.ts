import { setTimeout as sleep } from 'node:timers/promises';
import { SYSTEMS, TicketError, profileOf, type TicketAdapter, type TicketStatus } from '@rhx/adapters';
import { CLOSING_STATUSES, TARGET_SYSTEMS, type TargetSystem } from '@rhx/domain';
import type { Logger } from '@rhx/logger';
import { requeueDelivery, resolvingSystems, type TargetReadiness } from '@rhx/push';
import type { Queues } from '@rhx/queue';
import { decidePoll } from './sync-decision.js';
import type { SyncMode } from './status-mapping.js';
import type { OpenTicket, PollStamp, SyncRepository } from './sync.repository.js';
import { zeroCounts, type SyncCounts, type SyncStats } from './sync-stats.js';

/** Open references read per page (one keyset query, one stamp statement). */
export const SYNC_PAGE_SIZE = 500;
/** Reads of one ticket that may meet a rate limit in a cycle before it is left for the next one. */
export const RATE_LIMITED_TRIES = 5;
/** Failed reads logged one by one per system and cycle; the rest are counted in the cycle's summary. */
const LOGGED_FAILURES = 10;
// A remote that refuses the credentials (or the settings cannot be used) refuses every ticket alike.
const STOPS_THE_SYSTEM = new Set(['AUTHENTICATION', 'PERMISSION', 'CONFIGURATION']);

export interface SyncCycleDeps {
  repository: SyncRepository;
  /** Built with the fleet's per-system throttle (a `429` pauses that system for every process). */
  adapters: { forSystem(system: TargetSystem, options?: { ignoreEnabled?: boolean }): Promise<TargetReadiness> };
  /** Where the resolves a ticket's close opens in the incident's other systems are queued (else the reconciler finds them). */
  queues?: Queues;
  /** `TICKET_INTEGRATION`: whether `servicenow` tickets are Proactive cases. */
  integration: 'standard' | 'proactive';
  /** Reads in flight per system (`SYNC_CONCURRENCY`). */
  concurrency: number;
  logger: Logger;
  stats?: SyncStats;
  pageSize?: number;
}

/** What a cycle did per system; `skipped` says why a system was not read (not configured, disabled). */
export type SystemOutcome = SyncCounts & { skipped?: string; stoppedBy?: string };
export interface SyncCycleReport {
  durationMs: number;
  bySystem: Record<TargetSystem, SystemOutcome>;
}

type Poll = { kind: 'read'; status: TicketStatus } | { kind: 'vanished'; httpStatus: number } | { kind: 'failed'; error: TicketError } | { kind: 'aborted' };

/**
 * One sync cycle: every open RhythmX-created ticket of every ready system is read once. Systems run
 * side by side, each with `concurrency` reads in flight over pages of its open references (keyset by
 * id), so a paused system never holds another back. A read meeting a rate limit waits what the remote
 * said and is tried again; writes happen only for real changes (one statement each) while a page's
 * no-change polls are stamped together. Idempotent: a change is written only over the state it was
 * read against.
 */
export class SyncCycle {
  private readonly pageSize: number;

  constructor(private readonly deps: SyncCycleDeps) {
    this.pageSize = deps.pageSize ?? SYNC_PAGE_SIZE;
  }

  /** Runs one cycle; `signal` ends it early (between reads, and during a rate-limit wait). */
  async run(signal: AbortSignal = new AbortController().signal): Promise<SyncCycleReport> {
    const started = performance.now();
    const lanes = await Promise.allSettled(TARGET_SYSTEMS.map((system) => this.lane(system, signal)));
    const bySystem = Object.fromEntries(
      TARGET_SYSTEMS.map((system, i) => {
        const lane = lanes[i]!;
        return [system, lane.status === 'fulfilled' ? lane.value : { ...zeroCounts(), stoppedBy: (lane.reason as Error).message }];
      }),
    ) as Record<TargetSystem, SystemOutcome>;
    const durationMs = performance.now() - started;
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
    await this.deps.stats?.cycleFinished(durationMs);
    this.deps.logger.info({ durationMs: Math.round(durationMs), bySystem, aborted: signal.aborted }, 'sync cycle finished');
    return { durationMs, bySystem };
  }

  private async lane(system: TargetSystem, signal: AbortSignal): Promise<SystemOutcome> {
    const readiness = await this.deps.adapters.forSystem(system).catch((err: unknown) => {
      this.deps.logger.warn({ system, err: (err as Error).message }, 'sync skipped a system whose settings could not be read');
      return { ready: false as const, reason: 'settings-unreadable' };
    });
    if (!readiness.ready) return { ...zeroCounts(), skipped: readiness.reason };
    const mode = profileOf(system, this.deps.integration);
    const total: SystemOutcome = zeroCounts();
    const lane = { reachable: undefined as Promise<boolean> | undefined };
    // A 404 before any read of this cycle succeeded may mean a wrong base URL, not a deleted ticket: it is
    // trusted only once the system answers a connection test (asked once per cycle, only then).
    const confirmVanished = () => (lane.reachable ??= readiness.adapter.testConnection().then(() => true, () => false));
    let after = '0';
    while (!signal.aborted && !total.stoppedBy) {
      const page = await this.deps.repository.openPage(system, after, this.pageSize);
      if (page.length === 0) break;
      const counts = await this.syncPage(mode, readiness.adapter, page, total, signal, confirmVanished);
      await this.deps.stats?.add(system, counts);
      for (const name of ['polled', 'changes', 'vanished', 'errors'] as const) total[name] += counts[name];
      if (page.length < this.pageSize) break;
      after = page[page.length - 1]!.id;
    }
    if (total.errors > LOGGED_FAILURES) this.deps.logger.warn({ system, errors: total.errors }, 'sync could not read some tickets; they are read again next cycle');
    return total;
  }

  private async syncPage(
    mode: SyncMode, adapter: TicketAdapter, page: OpenTicket[], lane: SystemOutcome, signal: AbortSignal, confirmVanished: () => Promise<boolean>,
  ): Promise<SyncCounts> {
    const counts = zeroCounts();
    const stamps: PollStamp[] = [];
    await eachLimited(page, this.deps.concurrency, async (ticket) => {
      if (signal.aborted || lane.stoppedBy) return;
      const poll = await this.read(adapter, ticket, signal);
      if (poll.kind === 'read') {
        counts.polled++;
        const decision = decidePoll(mode, ticket.remoteState, poll.status);
        if (decision.kind === 'stamp') stamps.push({ id: ticket.id, ...(decision.baseline ? { baseline: decision.baseline } : {}) });
        else if (await this.recordChange(mode, ticket, decision)) counts.changes++;
      } else if (poll.kind === 'vanished' && lane.polled + counts.polled === 0 && !(await confirmVanished())) {
        counts.errors++;
        const error = new TicketError({ code: 'CONFIGURATION', retryable: false, httpStatus: poll.httpStatus, message: `answered ${poll.httpStatus} and fails its connection test: check its base URL` });
        this.failed(ticket, error, lane, lane.errors + counts.errors);
      } else if (poll.kind === 'vanished') {
        const message = `${SYSTEMS[mode].ticketNoun} ${ticket.externalId} no longer exists (HTTP ${poll.httpStatus}); it is no longer synced`;
        if (await this.deps.repository.recordVanished(ticket, SYSTEMS[mode].sync.source, message, poll.httpStatus)) counts.vanished++;
      } else if (poll.kind === 'failed') {
        counts.errors++;
        this.failed(ticket, poll.error, lane, lane.errors + counts.errors);
      }
    });
    await this.deps.repository.stamp(stamps);
    return counts;
  }

  /** A real change, written; one that closes the incident resolves its tickets in the other systems. */
  private async recordChange(mode: SyncMode, ticket: OpenTicket, decision: Extract<ReturnType<typeof decidePoll>, { kind: 'change' }>): Promise<boolean> {
    const closing = decision.mapped.analystStatus !== undefined && CLOSING_STATUSES.includes(decision.mapped.analystStatus);
    const resolving = closing ? (await resolvingSystems(this.deps.adapters)).filter((s) => s !== ticket.system) : [];
    const written = await this.deps.repository.recordChange(this.change(mode, ticket, decision), resolving);
    if (!written) return false;
    for (const r of written.resolves) {
      if (!this.deps.queues) break;
      await requeueDelivery(this.deps.queues, { id: r.id, incidentId: ticket.incidentId, system: r.system, status: 'PENDING' }).catch((err: unknown) =>
        this.deps.logger.warn({ incidentId: ticket.incidentId, system: r.system, deliveryId: r.id, err: (err as Error).message }, 'resolve not queued; the reconciler will queue it'),
      );
    }
    if (written.resolves.length) this.deps.logger.info({ incidentId: ticket.incidentId, ticket: ticket.externalId, resolves: written.resolves.length }, 'ticket resolved in its system: resolving the incident\'s other tickets');
    return true;
  }

  private change(mode: SyncMode, ticket: OpenTicket, decision: Extract<ReturnType<typeof decidePoll>, { kind: 'change' }>) {
    const { mapped } = decision;
    const status = mapped.analystStatus ? `; analyst status ${mapped.analystStatus}` : '';
    const closed = mapped.open ? '' : '; no longer synced';
    return {
      ticket, state: decision.state, label: mapped.label, open: mapped.open, analystStatus: mapped.analystStatus, source: SYSTEMS[mode].sync.source,
      message: `${SYSTEMS[mode].ticketNoun} ${ticket.externalId} is now ${mapped.label} (was ${decision.oldLabel ?? 'not read yet'})${status}${closed}`,
    };
  }

  private async read(adapter: TicketAdapter, ticket: OpenTicket, signal: AbortSignal): Promise<Poll> {
    const ref = { system: ticket.system, externalId: ticket.externalId, remoteId: ticket.remoteId, url: ticket.url };
    for (let tries = 1; ; tries++) {
      try {
        return { kind: 'read', status: await adapter.readStatus(ref) };
      } catch (error) {
        if (!(error instanceof TicketError)) throw error;
        if (error.code === 'NOT_FOUND' && (error.httpStatus === 404 || error.httpStatus === 410)) return { kind: 'vanished', httpStatus: error.httpStatus };
        if (error.code !== 'RATE_LIMITED' || tries >= RATE_LIMITED_TRIES) return { kind: 'failed', error };
        // The throttle already paused the system fleet-wide for the same wait; this read goes again after it.
        const waited = await sleep(error.retryAfterMs ?? 1000, true, { signal }).catch(() => false);
        if (!waited) return { kind: 'aborted' };
      }
    }
  }

  private failed(ticket: OpenTicket, error: TicketError, lane: SystemOutcome, failures: number): void {
    const fields = { system: ticket.system, incidentId: ticket.incidentId, ticket: ticket.externalId, code: error.code, httpStatus: error.httpStatus, err: error.message };
    if (failures <= LOGGED_FAILURES) this.deps.logger.warn(fields, 'sync could not read a ticket; it is read again next cycle');
    if (STOPS_THE_SYSTEM.has(error.code) && !lane.stoppedBy) {
      lane.stoppedBy = error.code;
      this.deps.logger.warn({ system: ticket.system, code: error.code, err: error.message }, 'sync of this system stopped for this cycle; its tickets are read next cycle');
    }
  }
}

/** Runs `task` over `items` with at most `limit` at once; rejects with the first failure after the others settle. */
export async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  const settled = await Promise.allSettled(runners);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
}
