export { AutoPushPolicy } from './auto-push.policy.js';
export { processIncidentCreated, type IngestDeps } from './incident-created.processor.js';
export { OutboxSweeper, RECONCILE_EVERY_MS, ensureReconcilerScheduled, scheduleReconciler } from './outbox.sweeper.js';
export { createIngestDeps, INGEST_MEMORY_BYTES } from './ingest-deps.js';
