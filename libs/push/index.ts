export { AdapterProvider, adapterOptionsFrom, type TargetReadiness } from './adapter-provider.js';
export { DeliveryRepository } from './delivery.repository.js';
export { DeliveryLeases, type Lease, type LeaseResult } from './delivery-lease.js';
export { processTicketPush, type PushDeps, type PushResult } from './ticket-push.processor.js';
export { deliveryBackoff, RetryLaterError, ticketPushHandler, ticketRetryHandler } from './ticket-push.job.js';
export { requestManualPush, type ManualPushResult } from './manual-push.js';
export { createPushDeps, LEASE_MARGIN_MS, PUSH_MEMORY_BYTES } from './push-deps.js';
