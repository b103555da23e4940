export { applyMigrations, pendingMigrations, ensureDatabase, dropDatabase, diffSchemaAgainstMigrations, SCHEMA_SNAPSHOT } from './migrate.js';
export { PRISMA_DIR } from './paths.js';
export { createPrismaClient, poolOf, PrismaClient, Prisma } from './client.js';
export { IncidentRepository, type IngestCommand, type IngestResult } from './incident.repository.js';
export { findIncidentView, type IncidentView } from './incident-view.js';
export {
  listIncidentHistory, riskHistory, parseIncidentHistoryQuery, incidentHistoryQueryFields, encodeHistoryCursor, decodeHistoryCursor, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX,
  type HistoryEntry, type HistoryPage, type HistoryOrder, type HistoryPageRequest,
} from './incident-history.js';
export { GroupCommit } from './group-commit.js';
export { jsonRows, preparedStatement } from './prepared.js';
export {
  listIncidents, incidentListQuerySchema, incidentListQueryFields, parseIncidentListQuery, encodeIncidentCursor, INCIDENT_PAGE_DEFAULT, INCIDENT_PAGE_MAX, decodeIncidentCursor,
  type IncidentListFilter, type IncidentListItem, type IncidentPage, type IncidentCursor,
} from './incident-list.js';
export { isDatabaseUnavailable } from './unavailable.js';
export { AUDIT_ACTIONS, AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, auditPage, auditQueryFields, decodeAuditCursor, encodeAuditCursor, recordAudit, type AuditAction, type AuditEntry, type AuditEvent, type AuditQuery } from './audit-log.js';
export { inTransaction } from './transaction.js';
