export { AdapterProvider, adapterOptionsFrom, type TargetReadiness } from './adapter-provider.js';
export { DeliveryRepository } from './deliveries/delivery.repository.js';
export { DeliveryLeases, type Lease, type LeaseResult } from './deliveries/delivery-lease.js';
export type { DeliveryForPush, FailedDelivery } from './deliveries/push.statements.js';
export { REDRIVABLE, type RedriveTarget, type UnownedDelivery } from './deliveries/redrive.statements.js';
export {
  DELIVERY_STATUSES, ATTEMPT_OUTCOMES,
  type DeliveryStatus, type DeliverySummary, type DeliveryDetail, type DeliveryAttemptView, type DeliveryFilter, type DeliveryPage,
} from './deliveries/view.statements.js';
export { encodeDeliveryCursor, decodeDeliveryCursor, type DeliveryCursor } from './deliveries/delivery-cursor.js';
export { deliveryCounts, attemptCounts, retryBacklog } from './delivery-metrics.js';
export { pushDelivery, type PushDeps, type PushOutcome } from './ticket-push.processor.js';
export { failureOf, nextAttempt, type PushFailure } from './push-failure.js';
export { deliveryBackoff, ticketPushHandler, ticketRetryHandler } from './ticket-push.job.js';
export { requeueDelivery, redriveDelivery, redriveRefusal, type QueuedDelivery, type RedriveDeps, type RedriveResult } from './delivery-redrive.js';
export { requestManualPush, type ManualPushResult } from './manual-push.js';
export { createPushDeps, createPushThrottle, LEASE_MARGIN_MS, PUSH_MEMORY_BYTES, type PushThrottle } from './push-deps.js';
export { OutboxSweeper, RECONCILE_EVERY_MS, ensureReconcilerScheduled, scheduleReconciler } from './outbox.sweeper.js';
export { startPushRole, startTicketPushConsumer, ROLE_CONCURRENCY, type PushRoleDeps } from './push.role.js';
export { startRetryRole, type RetryRoleDeps } from './retry.role.js';
export {
  IntegrationAdmin, EncryptionKeyMissingError, INTEGRATION_BODY_SCHEMAS,
  type IntegrationAdminDeps, type IntegrationDescription, type ConnectionTestResult,
} from './integration-admin.js';
export { previewTicket, createTicketNow, type PreviewResult, type TicketPreview, type TargetNotReady } from './ticket-actions.js';
