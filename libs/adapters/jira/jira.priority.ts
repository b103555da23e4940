import type { RiskLevel } from '@rhx/domain';

/** PRODUCT §5's priority mapping for Jira: risk level → the priority's name. */
export const JIRA_PRIORITIES = {
  CRITICAL: 'Highest',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
} as const satisfies Record<RiskLevel, string>;

export type JiraPriority = (typeof JIRA_PRIORITIES)[RiskLevel];
