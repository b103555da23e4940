import type { RiskLevel } from '@rhx/domain';

/** What the last push to a ticket left behind: when it was made and the risk level it carried. */
export interface LastPush {
  at: Date;
  level: RiskLevel;
}

export type CadenceDecision =
  | { push: true; reason: 'first-push' | 'p1-escalation' | 'reopen' | `cadence-elapsed-${number}h` }
  | { push: false; reason: 'within-cadence' | 'level-unchanged' };

const HOUR_MS = 3_600_000;

/**
 * The update cadence gate (specs/proactive-case-api.md): whether a risk change reaches the ticket now.
 * A rise to CRITICAL (P1) goes at once; any other level change waits until `cadenceHours` have passed
 * since the last push; a change that leaves the level where the last push put it sends nothing, since
 * the ticket's priority already says it. `last` null means the ticket is not made yet: the create is
 * the first push.
 */
export function cadenceGate(last: LastPush | null, level: RiskLevel, now: Date, cadenceHours: number): CadenceDecision {
  if (!last) return { push: true, reason: 'first-push' };
  if (level === last.level) return { push: false, reason: 'level-unchanged' };
  if (level === 'CRITICAL') return { push: true, reason: 'p1-escalation' };
  const elapsedMs = now.getTime() - last.at.getTime();
  if (elapsedMs < cadenceHours * HOUR_MS) return { push: false, reason: 'within-cadence' };
  return { push: true, reason: `cadence-elapsed-${Math.floor(elapsedMs / HOUR_MS)}h` };
}

/**
 * The gate's log line, exactly as CONTRACT §6 spells it for ServiceNow (operators grep for it); other
 * systems get the same words under their own name. `level-unchanged` is not a gate decision the
 * contract names, so it has no line of its own.
 */
export function cadenceLogLine(systemLabel: string, incidentId: string, decision: CadenceDecision): string | null {
  if (decision.reason === 'level-unchanged') return null;
  return `${systemLabel} cadence gate: ${decision.push ? 'PUSH' : 'SKIP'} incident=${incidentId} reason=${decision.reason}`;
}
