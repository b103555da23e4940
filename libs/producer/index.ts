export { enqueueIncident, enqueueValidIncident, validateIncident, type EnqueueOptions } from './incident.producer.js';
export { InvalidInputError, type FieldProblem } from '@rhx/domain';
