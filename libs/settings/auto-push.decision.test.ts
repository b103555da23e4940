import { describe, expect, test } from '@jest/globals';
import { RISK_LEVELS, type Severity } from '@rhx/domain';
import { decideAutoPush } from './index.js';

const ready = [
  { system: 'jira' as const, configured: true, enabled: true },
  { system: 'servicenow' as const, configured: true, enabled: true },
];
const rank: Record<Severity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

describe('auto-push decision', () => {
  const cases = RISK_LEVELS.flatMap((severity) => RISK_LEVELS.map((minimum) => [severity, minimum] as const));
  test.each(cases)('severity %s with minimum %s', (severity, minSeverity) => {
    const decision = decideAutoPush(severity, { enabled: true, minSeverity, targets: ['jira', 'servicenow'] }, ready);
    const qualifies = rank[severity] >= rank[minSeverity];
    expect(decision.targets).toEqual(qualifies ? ['jira', 'servicenow'] : []);
    if (!qualifies) expect(decision.skipped.map((s) => s.reason)).toEqual(['below-minimum-severity', 'below-minimum-severity']);
  });

  test('disabled auto-push pushes nothing', () => {
    const d = decideAutoPush('CRITICAL', { enabled: false, minSeverity: 'LOW', targets: ['jira'] }, ready);
    expect(d).toEqual({ targets: [], skipped: [{ system: 'jira', reason: 'auto-push-disabled' }] });
  });

  test('only configured and enabled targets of the list get a delivery', () => {
    const d = decideAutoPush('CRITICAL', { enabled: true, minSeverity: 'CRITICAL', targets: ['jira', 'servicenow'] }, [
      { system: 'jira', configured: false, enabled: true },
      { system: 'servicenow', configured: true, enabled: false },
    ]);
    expect(d).toEqual({
      targets: [],
      skipped: [
        { system: 'jira', reason: 'not-configured' },
        { system: 'servicenow', reason: 'disabled' },
      ],
    });
    const onlyJira = decideAutoPush('CRITICAL', { enabled: true, minSeverity: 'HIGH', targets: ['jira'] }, ready);
    expect(onlyJira.targets).toEqual(['jira']);
  });
});
