/**
 * Queue names. PERSISTED: they are Redis key parts, so renaming one strands every job on it.
 */
export const QUEUE_NAMES = {
  incidentEvents: 'incident-events',
  ticketPush: 'ticket-push',
  ticketRetry: 'ticket-retry',
  ticketSync: 'ticket-sync',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
export const ALL_QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUE_NAMES);
