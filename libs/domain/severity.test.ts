import { describe, expect, test } from '@jest/globals';
import { PRIORITY_MAPPING, meetsSeverity, riskLevelOf, severityFromScore } from './index.js';

describe('severity from score', () => {
  test.each([
    [0, 'LOW'], [39, 'LOW'], [40, 'MEDIUM'], [69, 'MEDIUM'], [70, 'HIGH'], [84, 'HIGH'], [85, 'CRITICAL'], [100, 'CRITICAL'],
  ] as const)('%i → %s', (score, severity) => {
    expect(severityFromScore(score)).toBe(severity);
  });

  test('a stated risk level wins over the score for the priority mapping', () => {
    expect(riskLevelOf({ risk: { score: 20, level: 'HIGH' } })).toBe('HIGH');
    expect(riskLevelOf({ risk: { score: 90 } })).toBe('CRITICAL');
  });

  test('meetsSeverity orders LOW < MEDIUM < HIGH < CRITICAL', () => {
    expect(meetsSeverity('HIGH', 'MEDIUM')).toBe(true);
    expect(meetsSeverity('MEDIUM', 'HIGH')).toBe(false);
    expect(meetsSeverity('CRITICAL', 'CRITICAL')).toBe(true);
  });

  test('priority mapping of PRODUCT §5', () => {
    expect(Object.fromEntries(Object.entries(PRIORITY_MAPPING).map(([k, v]) => [k, [v.jira, v.servicenow.priority, v.servicenow.impact, v.servicenow.urgency]]))).toEqual({
      CRITICAL: ['Highest', '1', '1', '1'],
      HIGH: ['High', '2', '1', '2'],
      MEDIUM: ['Medium', '3', '2', '2'],
      LOW: ['Low', '4', '2', '3'],
    });
  });
});
