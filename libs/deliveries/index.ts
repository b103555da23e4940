export { DeliveryRepository } from './delivery.repository.js';
export { DeliveryLeases, type Lease, type LeaseResult } from './delivery-lease.js';
export { INLINE_PAYLOAD_BYTES, type DeliveryForRun, type CarriedChange } from './load.statements.js';
export type { SettledDelivery, RecordedFailure, TicketHistory, TicketRecord } from './settle.statements.js';
export { openUpdate, type UpdateToOpen, type ManualDelivery } from './open.statements.js';
export { REDRIVABLE, type RedriveTarget, type UnownedDelivery } from './redrive.statements.js';
export type { DeliverySummary, DeliveryDetail, DeliveryAttemptView, DeliveryFilter, DeliveryPage } from './view.statements.js';
export { encodeDeliveryCursor, decodeDeliveryCursor, type DeliveryCursor } from './delivery-cursor.js';
