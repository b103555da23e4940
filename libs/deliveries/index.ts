export { DeliveryRepository } from './delivery.repository.js';
export { DeliveryLeases, type Lease, type LeaseResult } from './delivery-lease.js';
export { INLINE_PAYLOAD_BYTES, type DeliveryForRun, type CarriedChange, type CarriedClosure } from './load.statements.js';
export { NOT_DONE, type SettledDelivery, type RecordedFailure, type TicketHistory, type TicketRecord } from './settle.statements.js';
export { openUpdate, type UpdateToOpen, type ManualDelivery } from './open.statements.js';
export { REDRIVABLE, type RedriveTarget, type UnownedDelivery } from './redrive.statements.js';
export type { DeliverySummary, DeliveryDetail, DeliveryAttemptView, DeliveryFilter, DeliveryPage } from './view.statements.js';
export { encodeDeliveryCursor, decodeDeliveryCursor, type DeliveryCursor } from './delivery-cursor.js';
export { isClosingSql, openResolvesSql, recordAnalystStatus, type OpenedResolve } from './close.statements.js';
