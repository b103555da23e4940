export { cadenceGate, cadenceLogLine, type CadenceDecision, type LastPush } from './cadence-gate.js';
export { RiskChanges, type RecordedRiskChange, type TicketDecision } from './risk-change.store.js';
export { applyRiskChange, type RiskChangeDeps } from './apply-risk-change.js';
