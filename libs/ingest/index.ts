export { AutoPushPolicy } from './auto-push.policy.js';
export { processIncidentCreated, type IngestDeps } from './incident-created.processor.js';
export { createIngestDeps, INGEST_MEMORY_BYTES } from './ingest-deps.js';
export { startIngestConsumer, startIngestRole, INGEST_CONCURRENCY, type IngestConsumerDeps } from './ingest.consumer.js';
