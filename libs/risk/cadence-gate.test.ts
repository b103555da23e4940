import { describe, expect, test } from '@jest/globals';
import type { RiskLevel } from '@rhx/domain';
import { cadenceGate, cadenceLogLine, type LastPush } from './cadence-gate.js';

const t0 = new Date('2026-11-27T10:00:00Z');
const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);
const pushed = (level: RiskLevel): LastPush => ({ at: t0, level });

describe('cadence gate (specs/proactive-case-api.md, default 24 h)', () => {
  test.each<[string, LastPush | null, RiskLevel, Date, number, boolean, string]>([
    ['the create is the first push', null, 'HIGH', t0, 24, true, 'first-push'],
    ['a level change within 24 h waits', pushed('HIGH'), 'MEDIUM', hours(3), 24, false, 'within-cadence'],
    ['a rise to HIGH within 24 h waits', pushed('MEDIUM'), 'HIGH', hours(23.9), 24, false, 'within-cadence'],
    ['a rise to P1 inside the window goes at once', pushed('HIGH'), 'CRITICAL', hours(0.1), 24, true, 'p1-escalation'],
    ['a rise to P1 from LOW goes at once', pushed('LOW'), 'CRITICAL', hours(1), 24, true, 'p1-escalation'],
    ['a change after 25 h goes, naming the hours', pushed('HIGH'), 'MEDIUM', hours(25), 24, true, 'cadence-elapsed-25h'],
    ['exactly at the window it goes', pushed('HIGH'), 'LOW', hours(24), 24, true, 'cadence-elapsed-24h'],
    ['an unchanged level sends nothing, even after the window', pushed('HIGH'), 'HIGH', hours(48), 24, false, 'level-unchanged'],
    ['CRITICAL staying CRITICAL is not an escalation', pushed('CRITICAL'), 'CRITICAL', hours(1), 24, false, 'level-unchanged'],
    ['a fall from CRITICAL waits for the window', pushed('CRITICAL'), 'HIGH', hours(2), 24, false, 'within-cadence'],
    ['SNOW_UPDATE_CADENCE_HOURS=1: 30 min waits', pushed('HIGH'), 'MEDIUM', hours(0.5), 1, false, 'within-cadence'],
    ['SNOW_UPDATE_CADENCE_HOURS=1: 61 min goes', pushed('HIGH'), 'MEDIUM', hours(61 / 60), 1, true, 'cadence-elapsed-1h'],
    ['SNOW_UPDATE_CADENCE_HOURS=0: every change goes', pushed('HIGH'), 'MEDIUM', t0, 0, true, 'cadence-elapsed-0h'],
  ])('%s', (_name, last, level, now, cadence, push, reason) => {
    expect(cadenceGate(last, level, now, cadence)).toEqual({ push, reason });
  });

  test('log lines are exactly the contract’s', () => {
    expect(cadenceLogLine('SNOW', 'INC-1', { push: false, reason: 'within-cadence' })).toBe('SNOW cadence gate: SKIP incident=INC-1 reason=within-cadence');
    expect(cadenceLogLine('SNOW', 'INC-1', { push: true, reason: 'first-push' })).toBe('SNOW cadence gate: PUSH incident=INC-1 reason=first-push');
    expect(cadenceLogLine('SNOW', 'INC-1', { push: true, reason: 'p1-escalation' })).toBe('SNOW cadence gate: PUSH incident=INC-1 reason=p1-escalation');
    expect(cadenceLogLine('SNOW', 'INC-1', { push: true, reason: 'cadence-elapsed-25h' })).toBe('SNOW cadence gate: PUSH incident=INC-1 reason=cadence-elapsed-25h');
    expect(cadenceLogLine('SNOW', 'INC-1', { push: false, reason: 'level-unchanged' })).toBeNull();
  });
});
