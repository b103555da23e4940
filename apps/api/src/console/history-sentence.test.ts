import { expect, test } from '@jest/globals';
import { historySentence } from './history-sentence.js';

// The console's timeline reads as sentences from the values each history row recorded (issue 18).
test.each([
  [{ action: 'TICKET_CREATED', message: 'jira ticket SEC-1 created', oldValue: null, newValue: { system: 'jira', externalId: 'SEC-1', level: 'CRITICAL', priority: 'Highest' } },
    'Jira ticket SEC-1 created at priority Highest (CRITICAL)'],
  [{ action: 'CADENCE_GATE', message: 'SKIP (within-cadence): …', oldValue: null, newValue: { system: 'servicenow', externalId: 'INC0010004', push: false, reason: 'within-cadence', level: 'HIGH' } },
    'Cadence gate skipped the update of ServiceNow ticket INC0010004: within the update cadence of the last push'],
  [{ action: 'CADENCE_GATE', message: '…', oldValue: null, newValue: { system: 'servicenow', externalId: 'INC0010004', push: true, reason: 'cadence-elapsed-25h', level: 'HIGH' } },
    'Cadence gate sent the HIGH update to ServiceNow ticket INC0010004: 25 h since the last push, past the cadence'],
  [{ action: 'ANALYST_STATUS', message: '…', oldValue: { analystStatus: 'NEW' }, newValue: { analystStatus: 'CLOSED', note: 'benign' } },
    'Analyst status NEW → CLOSED, noting “benign”'],
  [{ action: 'DELIVERY_REDRIVEN', message: '…', oldValue: { status: 'FAILED' }, newValue: { system: 'jira', kind: 'create', status: 'PENDING' } },
    'Jira create delivery re-driven (it was FAILED)'],
  [{ action: 'SOMETHING_NEW', message: 'a row of a newer version', oldValue: null, newValue: { x: 1 } }, 'a row of a newer version'],
  [{ action: 'TICKET_CREATED', message: 'jira ticket created', oldValue: null, newValue: 'not an object' }, 'jira ticket created'],
])('%j reads “%s”', (row, sentence) => {
  expect(historySentence(row)).toBe(sentence);
});
