export { AutoPushPolicy } from './auto-push.policy.js';
export { processIncidentCreated, type IngestDeps } from './incident-created.processor.js';
export { OutboxSweeper } from './outbox.sweeper.js';
