export { JsonClient, type JsonClientOptions, type JsonRequest } from './json-client.js';
export { errorForStatus, unexpectedResponse, ticketError } from './status-errors.js';
export { transportError } from './transport-errors.js';
export { parseRetryAfter } from './retry-after.js';
export { scrubSecrets, basicCredentials } from './scrub.js';
export { clip, jsonOrUndefined, type ErrorContext, type HttpAnswer } from './error-context.js';
export { HostPolicy, isPublicAddress, type AllowedHostList } from './host-policy.js';
export { guardedAgents, HostNotAllowedError, HOST_NOT_ALLOWED } from './guarded-agents.js';
export { baseUrlSchema } from './base-url.js';
