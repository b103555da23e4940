import type { Incident } from '@rhx/domain';
import { inline } from './ticket-sections.js';

/** The 14 ATT&CK enterprise tactics in kill-chain order (the order of the ATT&CK matrix). */
export const ENTERPRISE_TACTICS = [
  { id: 'TA0043', name: 'Reconnaissance' },
  { id: 'TA0042', name: 'Resource Development' },
  { id: 'TA0001', name: 'Initial Access' },
  { id: 'TA0002', name: 'Execution' },
  { id: 'TA0003', name: 'Persistence' },
  { id: 'TA0004', name: 'Privilege Escalation' },
  { id: 'TA0005', name: 'Defense Evasion' },
  { id: 'TA0006', name: 'Credential Access' },
  { id: 'TA0007', name: 'Discovery' },
  { id: 'TA0008', name: 'Lateral Movement' },
  { id: 'TA0009', name: 'Collection' },
  { id: 'TA0011', name: 'Command and Control' },
  { id: 'TA0010', name: 'Exfiltration' },
  { id: 'TA0040', name: 'Impact' },
] as const;

export type EnterpriseTacticId = (typeof ENTERPRISE_TACTICS)[number]['id'];

const STAGE = new Map<string, number>(ENTERPRISE_TACTICS.map((t, i) => [t.id, i]));

/** Position in the kill chain; tactics outside the enterprise matrix come after it, by id. */
export function killChainStage(tacticId: string): number {
  return STAGE.get(tacticId) ?? ENTERPRISE_TACTICS.length;
}

export function compareKillChain(a: string, b: string): number {
  return killChainStage(a) - killChainStage(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export interface ObservedTactic {
  id: string;
  /** The incident's name for it, normalised; the ATT&CK name when the incident's is blank. */
  name: string;
}

/**
 * The incident's tactics, each once, in kill-chain order: those it lists plus those its
 * techniques point at through `tacticId` (named from the ATT&CK matrix when the incident does not).
 */
export function observedTactics(incident: Incident): ObservedTactic[] {
  const names = new Map<string, string>();
  for (const tactic of incident.mitre?.tactics ?? []) {
    const name = inline(tactic.name);
    if (!names.has(tactic.id) && name !== undefined) names.set(tactic.id, name);
  }
  for (const technique of incident.mitre?.techniques ?? []) {
    const id = technique.tacticId;
    if (id === undefined || names.has(id) || !STAGE.has(id)) continue;
    names.set(id, ENTERPRISE_TACTICS[STAGE.get(id) ?? 0]?.name ?? id);
  }
  return [...names.entries()].sort(([a], [b]) => compareKillChain(a, b)).map(([id, name]) => ({ id, name }));
}
