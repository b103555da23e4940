import type { RiskLevel } from './incident.schema.js';

/** Priority mapping of PRODUCT §5, as data: risk level → each target system's priority. */
export const PRIORITY_MAPPING = {
  CRITICAL: { jira: 'Highest', servicenow: { priority: '1', label: 'Critical', impact: '1', urgency: '1' } },
  HIGH: { jira: 'High', servicenow: { priority: '2', label: 'High', impact: '1', urgency: '2' } },
  MEDIUM: { jira: 'Medium', servicenow: { priority: '3', label: 'Moderate', impact: '2', urgency: '2' } },
  LOW: { jira: 'Low', servicenow: { priority: '4', label: 'Low', impact: '2', urgency: '3' } },
} as const satisfies Record<
  RiskLevel,
  { jira: string; servicenow: { priority: string; label: string; impact: string; urgency: string } }
>;

export type JiraPriority = (typeof PRIORITY_MAPPING)[RiskLevel]['jira'];
export type ServiceNowPriority = (typeof PRIORITY_MAPPING)[RiskLevel]['servicenow'];
