export { QUEUE_NAMES, ALL_QUEUE_NAMES, type QueueName } from './queue-names.js';
export { DELIVERY_BACKOFF, JOB_CATALOGUE, catalogueJob, jobIds, jobOptions, type CatalogueJob, type JobName, type JobPayload, type JobInput } from './job-catalogue.js';
export { DEFAULT_JOB_RETENTION, jobRetentionFrom, keepJobs, type JobRetention } from './job-retention.js';
export { createCheckConnection, createRedisConnection, parseRedisAddress, redactUrl, type RedisAddress, type RedisClient } from './connection.js';
export { isClusterConnection, keyLayout, keyLayoutOf, type KeyGroup, type KeyLayout } from './key-layout.js';
export { Queues, type QueuesOptions } from './queues.js';
export {
  startConsumer, closeWorker, runningRole, jobLogFields, RetryLaterError,
  type BackoffStrategy, type ConsumerEnv, type ConsumerOptions, type Handlers, type RunningRole,
} from './consumer.js';
export { MemoryBudget } from './memory-budget.js';
export { IncidentPayloadStore, INLINE_INCIDENT_BYTES } from './incident-payloads.js';
export { mayRetryAfter, retrySettingsFrom, retryWait, type RetrySettings, type RetryWait } from './retry-policy.js';
