export { QUEUE_NAMES, ALL_QUEUE_NAMES, type QueueName } from './queue-names.js';
export { DELIVERY_BACKOFF, JOB_CATALOGUE, jobIds, type JobName, type JobPayload, type JobInput } from './job-catalogue.js';
export { createRedisConnection, redactUrl } from './connection.js';
export { Queues } from './queues.js';
export { MemoryBudget } from './memory-budget.js';
export { IncidentPayloadStore, INLINE_INCIDENT_BYTES } from './incident-payloads.js';
export { mayRetryAfter, retrySettingsFrom, retryWait, type RetrySettings, type RetryWait } from './retry-policy.js';
