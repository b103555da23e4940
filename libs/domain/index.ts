export * from './incident.schema.js';
export * from './severity.js';
export * from './systems.js';
export * from './validation.js';
export * from './risk-change.schema.js';
export * from './delivery-states.js';
export * from './analyst-status.schema.js';
export * from './operator.js';
