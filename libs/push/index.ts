export { AdapterProvider, adapterOptionsFrom, type TargetReadiness } from './adapter-provider.js';
export { DeliveryRepository } from './delivery.repository.js';
export { DeliveryLeases, type Lease, type LeaseResult } from './delivery-lease.js';
export { processTicketPush, type PushDeps, type PushResult } from './ticket-push.processor.js';
export { deliveryBackoff, RetryLaterError, ticketPushHandler, ticketRetryHandler } from './ticket-push.job.js';
export { requestManualPush, type ManualPushResult } from './manual-push.js';
export { createPushDeps, LEASE_MARGIN_MS, PUSH_MEMORY_BYTES } from './push-deps.js';
export {
  listDeliveries, findDelivery, DELIVERY_STATUSES, ATTEMPT_OUTCOMES,
  type DeliveryStatus, type DeliverySummary, type DeliveryDetail, type DeliveryAttemptView, type DeliveryFilter, type DeliveryPage,
} from './delivery-view.js';
export { encodeDeliveryCursor, decodeDeliveryCursor, type DeliveryCursor } from './delivery-cursor.js';
export { redriveDelivery, redriveRefusal, REDRIVABLE, type RedriveResult, type RedriveTarget } from './delivery-redrive.js';
export { deliveryCounts, attemptCounts, retryBacklog } from './delivery-stats.js';
