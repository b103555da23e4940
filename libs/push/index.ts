export { AdapterProvider, adapterOptionsFrom, type TargetReadiness } from './adapter-provider.js';
export { DeliveryRepository } from './delivery.repository.js';
export { processTicketPush, type PushDeps, type PushOutcome } from './ticket-push.processor.js';
export { requestManualPush, type ManualPushResult } from './manual-push.js';
