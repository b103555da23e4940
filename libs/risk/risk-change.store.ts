import type pg from 'pg';
import { inTransaction, poolOf, type PrismaClient } from '@rhx/db';
import { openUpdate } from '@rhx/deliveries';
import { SEVERITY_ORDER, riskLevelOf, severityFromScore, type Incident, type RiskChange, type RiskLevel, type TargetSystem } from '@rhx/domain';
import { cadenceGate, type CadenceDecision } from './cadence-gate.js';

/** The gate's decision for one ticket of the incident; `deliveryId` when an update is owed to it. */
export interface TicketDecision {
  system: TargetSystem;
  externalId: string;
  decision: CadenceDecision;
  deliveryId?: string;
}

export interface RecordedRiskChange {
  incidentId: string;
  /** Observed before the last applied change (its `observedAt`): recorded, and nothing moved. */
  stale?: boolean;
  /** The `RISK_CHANGED` history row: the change's identity, carried by the update deliveries it makes. */
  changeId: string;
  from: { score: number; level: RiskLevel };
  to: { score: number; level: RiskLevel };
  tickets: TicketDecision[];
}

interface TicketRow {
  system: TargetSystem;
  generation: number;
  external_id: string;
  created_at: Date;
  last_push_at: Date | null;
  last_push_level: RiskLevel | null;
  inflight_delivery_id: string | null;
  inflight_level: RiskLevel | null;
  inflight_at: Date | null;
  /** False once the ticket is resolved (here, or seen so by the sync cycle). */
  open: boolean;
}

const TICKET_COLUMNS = `t.system, t.generation, t.external_id, t.created_at, t.last_push_at, t.last_push_level, t.inflight_delivery_id::text, t.inflight_level, t.inflight_at, t.open`;

/**
 * What the gate judges a change against: the update in flight when there is one (so concurrent changes
 * make one update), else what last reached the ticket (the create, or the last update that succeeded);
 * `reached` is what the ticket's priority says now, which the update's note reports the move from. A
 * ticket recorded without its level last carried `fallback`.
 */
function gateMemory(t: TicketRow, fallback: RiskLevel): { last: { at: Date; level: RiskLevel }; reached: RiskLevel; mayHave?: RiskLevel } {
  const reached = t.last_push_level ?? fallback;
  const inFlight = t.inflight_delivery_id !== null && t.inflight_level && t.inflight_at;
  const last = inFlight ? { at: t.inflight_at!, level: t.inflight_level! } : { at: t.last_push_at ?? t.created_at, level: reached };
  // A failed update's level, which may have reached the ticket anyway (its priority set, its note refused).
  const mayHave = !inFlight && t.inflight_level && t.inflight_level !== reached ? t.inflight_level : undefined;
  return { last, reached, ...(mayHave ? { mayHave } : {}) };
}

/**
 * The gate's decision against the ticket's memory: a change that leaves the level where the ticket surely
 * is, but not where a failed update may have put it, is judged against that level instead, so the ticket
 * never stays at a priority the incident no longer has.
 */
function decide(memory: ReturnType<typeof gateMemory>, level: RiskLevel, at: Date, cadenceHours: number): CadenceDecision {
  const decision = cadenceGate(memory.last, level, at, cadenceHours);
  if (decision.reason !== 'level-unchanged' || !memory.mayHave || memory.mayHave === level) return decision;
  return cadenceGate({ at: memory.last.at, level: memory.mayHave }, level, at, cadenceHours);
}

/**
 * Stores risk changes and decides, under the incident's row lock, which of its live tickets get an
 * update. Everything one change does is one transaction: the new score on the incident (its stored
 * payload too, so a ticket made later shows it), the `RISK_CHANGED` history row, one `CADENCE_GATE` row
 * per ticket, and for each ticket the gate lets through a PENDING update delivery marked in flight on
 * the ticket (older updates not yet sent are superseded). Two changes of one incident therefore never
 * both see the old state: a second change inside the window is skipped even while the first one's
 * update is still on its way; and an update that fails clears its mark, so the next change is judged
 * against what really reached the ticket. A change observed before the last applied one moves nothing.
 */
export class RiskChanges {
  private readonly pool: pg.Pool;

  constructor(prisma: PrismaClient, private readonly cadenceHours: number, private readonly now: () => Date = () => new Date()) {
    this.pool = poolOf(prisma);
  }

  /**
   * @param reopening the systems whose resolved tickets a rise reopens (`lifecycle.reopen`).
   * @returns null when the incident is not known.
   */
  async record(incidentId: string, change: RiskChange, source: string, reopening: readonly TargetSystem[] = []): Promise<RecordedRiskChange | null> {
    return inTransaction(this.pool, (client) => this.recordIn(client, incidentId, change, source, reopening), (result) => result !== null);
  }

  private async recordIn(client: pg.PoolClient, incidentId: string, change: RiskChange, source: string, reopening: readonly TargetSystem[]): Promise<RecordedRiskChange | null> {
    const { rows } = await client.query<{ risk: Incident['risk']; observed_at: Date | null }>(
      `SELECT payload->'risk' AS risk, risk_observed_at AS observed_at FROM incidents WHERE id = $1 FOR UPDATE`,
      [incidentId],
    );
    const stored = rows[0];
    if (!stored) return null;
    const from = { score: stored.risk.score, level: riskLevelOf(stored) };
    const to = { score: change.score, level: severityFromScore(change.score) };
    const observedAt = change.observedAt ? new Date(change.observedAt) : null;
    if (observedAt && stored.observed_at && observedAt < stored.observed_at) return this.recordStale(client, incidentId, change, source, from, to, stored.observed_at);
    const previousScore = change.previousScore ?? from.score;
    // The stored incident carries the new risk; its stated level would now contradict the score, so it goes.
    const { level: _stated, ...risk } = stored.risk;
    const newRisk = { ...risk, score: to.score, previousScore };
    const at = this.now();
    const changed = await client.query<{ id: string }>(
      `WITH incident AS (
         UPDATE incidents SET risk_score = $2, severity = $3, payload = jsonb_set(payload::jsonb, '{risk}', $4::jsonb)::json, updated_at = now(),
           risk_observed_at = COALESCE($10::timestamptz, risk_observed_at)
         WHERE id = $1
       )
       INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value, created_at)
       VALUES ($1, 'RISK_CHANGED', $5, $6, $7::jsonb, $8::jsonb, $9) RETURNING id::text`,
      [
        incidentId, to.score, to.level, JSON.stringify(newRisk), source,
        `risk ${from.score} → ${to.score} (${from.level} → ${to.level})${change.reason ? `: ${change.reason}` : ''}`,
        JSON.stringify(from),
        JSON.stringify({ ...to, previousScore, ...(change.reason ? { reason: change.reason } : {}), ...(change.newRule ? { newRule: change.newRule } : {}), ...(change.observedAt ? { observedAt: change.observedAt } : {}) }),
        at, observedAt,
      ],
    );
    const changeId = changed.rows[0]!.id;
    const tickets = await client.query<TicketRow>(
      // The live tickets. A resolved one takes no updates, but a rise reopens it (whatever the window)
      // where the system's lifecycle says so.
      `SELECT ${TICKET_COLUMNS} FROM ticket_refs t WHERE t.incident_id = $1 AND t.retired_at IS NULL ORDER BY t.system`,
      [incidentId],
    );
    const rise = SEVERITY_ORDER.indexOf(to.level) > SEVERITY_ORDER.indexOf(from.level);
    const decisions: TicketDecision[] = [];
    for (const t of tickets.rows) {
      if (!t.open && !(rise && reopening.includes(t.system))) continue;
      const memory = gateMemory(t, from.level);
      const decision: CadenceDecision = t.open ? decide(memory, to.level, at, this.cadenceHours) : { push: true, reason: 'reopen' };
      decisions.push({ system: t.system, externalId: t.external_id, decision, ...(await this.apply(client, incidentId, changeId, t, decision, memory.reached, to.level, at)) });
    }
    return { incidentId, changeId, from, to, tickets: decisions };
  }

  /** A change observed before the one applied last: one history row, and nothing else moves. */
  private async recordStale(
    client: pg.PoolClient, incidentId: string, change: RiskChange, source: string,
    from: RecordedRiskChange['from'], to: RecordedRiskChange['to'], appliedAt: Date,
  ): Promise<RecordedRiskChange> {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO incident_history (incident_id, action, source, message, old_value, new_value, created_at)
       VALUES ($1, 'RISK_CHANGE_STALE', $2, $3, $4::jsonb, $5::jsonb, $6) RETURNING id::text`,
      [
        incidentId, source,
        `risk ${to.score} observed at ${change.observedAt} is older than the change applied last (observed at ${appliedAt.toISOString()}); it moves nothing`,
        JSON.stringify(from), JSON.stringify({ ...to, observedAt: change.observedAt, appliedObservedAt: appliedAt.toISOString() }), this.now(),
      ],
    );
    return { incidentId, stale: true, changeId: rows[0]!.id, from, to: from, tickets: [] };
  }

  /**
   * After a ticket is recorded: when the incident's level moved while the ticket was being made (a risk
   * change that found no ticket yet), the gate decides for the latest change as if it had found the
   * ticket, which carries the level it was made with. A rise to P1 is then pushed; anything else waits
   * for the window, as any change after a push would.
   * @returns the decision, or null when the ticket already carries the incident's level.
   */
  async afterCreate(incidentId: string, system: TargetSystem): Promise<(TicketDecision & { level: RiskLevel }) | null> {
    // Nothing changed when there is nothing to decide: rolled back, which ends the row lock all the same.
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ severity: RiskLevel; change_id: string | null } & TicketRow>(
        `SELECT i.severity, ${TICKET_COLUMNS},
           (SELECT max(h.id)::text FROM incident_history h WHERE h.incident_id = i.id AND h.action = 'RISK_CHANGED') AS change_id
         FROM incidents i JOIN ticket_refs t ON t.incident_id = i.id AND t.system = $2 AND t.retired_at IS NULL WHERE i.id = $1 FOR UPDATE OF i`,
        [incidentId, system],
      );
      const row = rows[0];
      const memory = row?.last_push_level ? gateMemory(row, row.last_push_level) : undefined;
      if (!row || !row.change_id || !memory || (memory.last.level === row.severity && (memory.mayHave ?? row.severity) === row.severity)) {
        return null;
      }
      const at = this.now();
      const decision = decide(memory, row.severity, at, this.cadenceHours);
      const applied = await this.apply(client, incidentId, row.change_id, row, decision, memory.reached, row.severity, at);
      return { system, externalId: row.external_id, decision, level: row.severity, ...applied };
    }, (result) => result !== null);
  }

  /** The gate's history row; for a push, the update delivery and the gate's memory of this push. */
  private async apply(client: pg.PoolClient, incidentId: string, changeId: string, t: TicketRow, decision: CadenceDecision, previousLevel: RiskLevel, level: RiskLevel, at: Date) {
    const verb = decision.push ? 'update sent to' : 'no update for';
    await client.query(
      `INSERT INTO incident_history (incident_id, action, source, message, new_value, created_at) VALUES ($1, 'CADENCE_GATE', 'cadence-gate', $2, $3::jsonb, $4)`,
      [incidentId, `${decision.push ? 'PUSH' : 'SKIP'} (${decision.reason}): ${verb} ${t.system} ticket ${t.external_id}`,
        // `previousLevel`: what the ticket's priority was last set from; the update's note reports the move from it.
        JSON.stringify({ system: t.system, externalId: t.external_id, push: decision.push, reason: decision.reason, previousLevel, level, changeId }), at],
    );
    if (!decision.push) return {};
    const deliveryId = await openUpdate(client, { incidentId, system: t.system, generation: t.generation, changeId, level, at });
    return deliveryId ? { deliveryId } : {};
  }
}
