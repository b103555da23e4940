import type { Incident, RiskLevel } from './incident.schema.js';

/** Severity comes from the score alone: ≥ 85 CRITICAL, ≥ 70 HIGH, ≥ 40 MEDIUM, else LOW. */
export type Severity = RiskLevel;

export const SEVERITY_ORDER: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export function severityFromScore(score: number): Severity {
  if (score >= 85) return 'CRITICAL';
  if (score >= 70) return 'HIGH';
  if (score >= 40) return 'MEDIUM';
  return 'LOW';
}

/** True when `severity` is at or above `minimum`. */
export function meetsSeverity(severity: Severity, minimum: Severity): boolean {
  return SEVERITY_ORDER.indexOf(severity) >= SEVERITY_ORDER.indexOf(minimum);
}

/** The incident's risk level: the one it states, else the one its score gives. */
export function riskLevelOf(incident: Pick<Incident, 'risk'>): RiskLevel {
  return incident.risk.level ?? severityFromScore(incident.risk.score);
}
