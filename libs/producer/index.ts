export { enqueueIncident, enqueueValidIncident, enqueueValidIncidents, validateIncident, type EnqueueOptions } from './incident.producer.js';
export { InvalidInputError, type FieldProblem } from '@rhx/domain';
export { enqueueRiskChange } from './risk.producer.js';
export { enqueueAnalystStatus } from './analyst-status.producer.js';
