export { startJiraSimulator, SIMULATED_CLOUD_ID, type JiraSimulator, type JiraSimulatorOptions } from './jira.simulator.js';
export { TokenIssuer, type SimulatedOAuthClient } from './oauth-issuer.js';
export type { SimulatedJiraIssue, SimulatedJiraComment, JiraStatusCategory } from './jira-simulator.store.js';
export { startServiceNowSimulator, type ServiceNowSimulator, type ServiceNowSimulatorOptions } from './servicenow.simulator.js';
export type { SimulatedServiceNowIncident, SimulatedJournalEntry } from './servicenow-simulator.store.js';
export {
  SimulatorFaults,
  type SimulatedFault,
  type CreateFailureMode,
  type CreateHold,
  type UpdateFailureMode,
  type UpdateHold,
} from './simulator-faults.js';
export type { RecordedRequest } from './http-simulator.server.js';
export { adfProblem } from './adf.validator.js';
export { SECURITY_PROJECT_FIELDS } from './jira-screen.js';
export { DEFAULT_WORKFLOW, type JiraTransition } from './jira-workflow.js';
