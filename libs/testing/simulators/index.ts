export { startJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from './jira.simulator.js';
export type { SimulatedJiraIssue, JiraStatusCategory } from './jira-simulator.store.js';
export { startServiceNowSimulator, type ServiceNowSimulator, type ServiceNowSimulatorOptions } from './servicenow.simulator.js';
export type { SimulatedServiceNowIncident } from './servicenow-simulator.store.js';
export { SimulatorFaults, type SimulatedFault, type CreateFailureMode, type CreateHold } from './simulator-faults.js';
export type { RecordedRequest } from './http-simulator.server.js';
export { adfProblem } from './adf.validator.js';
