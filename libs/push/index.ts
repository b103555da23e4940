export { AdapterProvider, adapterOptionsFrom, type TargetReadiness } from './adapter-provider.js';
export {
  DeliveryRepository, DeliveryLeases, REDRIVABLE, encodeDeliveryCursor, decodeDeliveryCursor,
  type Lease, type LeaseResult, type DeliveryForRun, type RedriveTarget, type UnownedDelivery, type DeliveryCursor,
  type DeliverySummary, type DeliveryDetail, type DeliveryAttemptView, type DeliveryFilter, type DeliveryPage,
} from '@rhx/deliveries';
export { DELIVERY_STATUSES, DELIVERY_KINDS, ATTEMPT_OUTCOMES, type DeliveryStatus, type DeliveryKind } from '@rhx/domain';
export { deliveryCounts, attemptCounts, retryBacklog } from './delivery-metrics.js';
export { pushDelivery } from './push-delivery.js';
export type { PushOutcome } from './delivery-run.js';
export { updateMarker } from './update.step.js';
export { storedIncident } from './stored-incident.js';
export { failureOf, nextAttempt, outcomeOf, type PushFailure } from './push-failure.js';
export { deliveryBackoff, ticketPushHandler, ticketRetryHandler } from './ticket-push.job.js';
export { requeueDelivery, redriveDelivery, redriveRefusal, type QueuedDelivery, type RedriveDeps, type RedriveResult } from './delivery-redrive.js';
export { requestManualPush, type ManualPushResult } from './manual-push.js';
export { createPushDeps, createPushThrottle, CALLS_PER_LEASE, LEASE_MARGIN_MS, PUSH_MEMORY_BYTES, type PushDeps, type PushThrottle } from './push-deps.js';
export { OutboxSweeper, RECONCILE_EVERY_MS, ensureReconcilerScheduled, scheduleReconciler } from './outbox.sweeper.js';
export { startPushRole, startTicketPushConsumer, ROLE_CONCURRENCY, type PushRoleDeps } from './push.role.js';
export { startRetryRole, type RetryRoleDeps } from './retry.role.js';
export {
  IntegrationAdmin, EncryptionKeyMissingError,
  type IntegrationAdminDeps, type IntegrationDescription, type ConnectionTestResult,
} from './integration-admin.js';
export { previewTicket, createTicketNow, type PreviewResult, type TicketPreview, type TargetNotReady } from './ticket-actions.js';
export { incidentLifecycle, setAnalystStatus, reopeningSystems, resolvingSystems, type AnalystStatusDeps, type IncidentLifecycle } from './incident-close.js';
