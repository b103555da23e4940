import { describe, expect, test } from '@jest/globals';
import { meetsSeverity, riskLevelOf, severityFromScore } from './index.js';

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
});
