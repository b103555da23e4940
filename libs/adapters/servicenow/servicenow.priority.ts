import type { RiskLevel } from '@rhx/domain';

/**
 * PRODUCT §5's priority mapping for ServiceNow (the Table API and the Proactive Case API alike): risk
 * level → the priority people see, and the impact and urgency the instance computes it from.
 */
export const SNOW_PRIORITIES = {
  CRITICAL: { priority: '1', label: 'Critical', impact: '1', urgency: '1' },
  HIGH: { priority: '2', label: 'High', impact: '1', urgency: '2' },
  MEDIUM: { priority: '3', label: 'Moderate', impact: '2', urgency: '2' },
  LOW: { priority: '4', label: 'Low', impact: '2', urgency: '3' },
} as const satisfies Record<RiskLevel, { priority: string; label: string; impact: string; urgency: string }>;

/** `1 Critical`, `2 High`, `3 Moderate`, `4 Low`: how a note names a level's priority. */
export const snowPriorityText = (level: RiskLevel): string => `${SNOW_PRIORITIES[level].priority} ${SNOW_PRIORITIES[level].label}`;
