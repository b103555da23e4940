export { QUEUE_NAMES, ALL_QUEUE_NAMES, type QueueName } from './queue-names.js';
export { JOB_CATALOGUE, jobIds, type JobName, type JobPayload, type JobInput } from './job-catalogue.js';
export { createRedisConnection, redactUrl } from './connection.js';
export { Queues } from './queues.js';
export { MemoryBudget } from './memory-budget.js';
export { IncidentPayloadStore, INLINE_INCIDENT_BYTES } from './incident-payloads.js';
