export { mapTicketStatus, type MappedStatus, type SyncMode, type SyncedAnalystStatus } from './status-mapping.js';
export { decidePoll, type PollDecision } from './sync-decision.js';
export { SyncRepository, type OpenTicket, type PollStamp, type TicketChange } from './sync.repository.js';
export { SyncStats, SYNC_COUNTS, type SyncCounts, type SyncStatsSnapshot } from './sync-stats.js';
export { SyncCycle, SYNC_PAGE_SIZE, RATE_LIMITED_TRIES, eachLimited, type SyncCycleDeps, type SyncCycleReport, type SystemOutcome } from './sync-cycle.js';
export { SYNC_SCHEDULER_ID, scheduleSyncCycle, ensureSyncScheduled } from './sync-schedule.js';
export { startSyncRole, type SyncRoleDeps } from './sync-role.js';
