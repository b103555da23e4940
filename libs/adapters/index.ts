export type { TicketAdapter, TicketReference, CreateRequest, TicketStatus, UpdatePresence, FieldCheck, FieldUpdate } from './ticket-adapter.js';
export { checkedUpdateMarker, UPDATE_MARKER_PATTERN } from './update-marker.js';
export { TicketError, type TicketErrorCode } from './ticket-error.js';
export type { AdapterOptions } from './adapter-options.js';
export { createAdapter, adapterConfigSchema } from './registry.js';
export { SYSTEMS, profileOf, profilesServing, systemOf } from './systems.js';
export type { StatusMeaning, SyncedAnalystStatus, SystemDescriptor } from './system-descriptor.js';
export { SETTING_TEXT } from './settings-body.js';
export { JIRA_PRIORITIES, type JiraPriority } from './jira/jira.priority.js';
export { SNOW_PRIORITIES, snowPriorityText } from './servicenow/servicenow.priority.js';
export { SNOW_STATE_LABELS } from './servicenow/servicenow.system.js';
export { jiraConfigSchema, JIRA_PROJECT_KEY, JIRA_PROJECT_KEY_MESSAGE, type JiraConfig, type JiraConfigInput } from './jira/jira.config.js';
export { JiraAdapter } from './jira/jira.adapter.js';
export { serviceNowConfigSchema, type ServiceNowConfig, type ServiceNowConfigInput } from './servicenow/servicenow.config.js';
export { ServiceNowAdapter } from './servicenow/servicenow.adapter.js';
export type { ServiceNowTicketReference, ServiceNowTicketStatus } from './servicenow/servicenow.mapper.js';
export { parseRetryAfter, scrubSecrets, HostPolicy, isPublicAddress, type AllowedHostList } from './http/index.js';
export { ThrottledCallError, type CallThrottle, type CallClearance } from './http/index.js';
export { proxySettingsFrom, type ProxySettings, type TlsMaterial } from './http/index.js';
export { TOKEN_EARLY_MS, type TokenCache, type RequestAuth } from './http/index.js';
export {
  BASE_URL_PATTERN, BASE_URL_PATTERN_MESSAGE, HOST_OR_BASE_URL_PATTERN, HOST_OR_BASE_URL_PATTERN_MESSAGE,
} from './http/base-url.pattern.js';
export { targetUrlProblems, hostPolicyFor } from './target-url.js';
export { ProactiveAdapter, PROACTIVE_DISPLAY_NAME } from './proactive/proactive.adapter.js';
export { proactiveConfigSchema, PROACTIVE_APP_ID, PROACTIVE_HEADER_TEXT, PROACTIVE_SETTING_MAX, type ProactiveConfig, type ProactiveConfigInput } from './proactive/proactive.config.js';
export { caseDescription, PROACTIVE_CLOSED_STATUSES, PROACTIVE_TEXT_MAX, type ProactiveTicketStatus } from './proactive/proactive.mapper.js';
export { networkProblems, withNetworkSettings, NETWORK_PEM, NETWORK_SECRET, NETWORK_VISIBLE } from './network-settings.js';
