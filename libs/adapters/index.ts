export type { TicketAdapter, TicketReference, CreateRequest, TicketStatus } from './ticket-adapter.js';
export { TicketError, type TicketErrorCode } from './ticket-error.js';
