import { describe, expect, test } from '@jest/globals';
import { fieldProblems, parseOrThrow, riskChangeSchema } from './index.js';

const rule = {
  name: 'LSASS Memory Access By Unsigned Process',
  severity: 'critical',
  count: 4,
  firstSeenAt: '2026-11-21T21:40:00Z',
  lastSeenAt: '2026-11-21T21:58:00Z',
  sampleEvent: { time: '2026-11-21T21:40:17Z', host: 'SRV-DC-01', user: 'svc_backup', eventId: '10', detail: 'lsass read' },
};

describe('riskChangeSchema', () => {
  test('accepts the full event and keeps every field', () => {
    const change = riskChangeSchema.parse({ score: 95, previousScore: 91, reason: 'new LSASS access', newRule: rule });
    expect(change).toEqual({ score: 95, previousScore: 91, reason: 'new LSASS access', newRule: rule });
  });

  test('only the score is required; unknown fields are dropped', () => {
    expect(riskChangeSchema.parse({ score: 0, surprise: true })).toEqual({ score: 0 });
  });

  test.each([
    [{}, 'score'],
    [{ score: '91' }, 'score'],
    [{ score: 101 }, 'score'],
    [{ score: -1 }, 'score'],
    [{ score: 90.5 }, 'score'],
    [{ score: 90, previousScore: 200 }, 'previousScore'],
    [{ score: 90, reason: 'r'.repeat(10_001) }, 'reason'],
    [{ score: 90, reason: 'a\u0000b' }, 'reason'],
    [{ score: 90, newRule: { ...rule, name: '' } }, 'newRule.name'],
    [{ score: 90, newRule: { ...rule, severity: 'huge' } }, 'newRule.severity'],
    [{ score: 90, newRule: { ...rule, count: 0 } }, 'newRule.count'],
    [{ score: 90, newRule: { ...rule, firstSeenAt: 'yesterday' } }, 'newRule.firstSeenAt'],
    [{ score: 90, newRule: { ...rule, firstSeenAt: '0000-01-01T00:00:00Z' } }, 'newRule.firstSeenAt'],
    [{ score: 90, newRule: { ...rule, lastSeenAt: '9999-12-31T23:00:00-02:00' } }, 'newRule.lastSeenAt'],
    [{ score: 90, newRule: { ...rule, sampleEvent: { time: '0000-06-01T00:00:00Z' } } }, 'newRule.sampleEvent.time'],
    [{ score: 90, newRule: { ...rule, sampleEvent: { host: 'h'.repeat(1_001) } } }, 'newRule.sampleEvent.host'],
    [{ score: 90, newRule: 'rule' }, 'newRule'],
  ])('refuses %j, naming %s', (input, path) => {
    const result = riskChangeSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldProblems(result.error).map((p) => p.path)).toContain(path);
  });

  test('parseOrThrow lists every problem with its field', () => {
    expect(() => parseOrThrow(riskChangeSchema, { score: 101, previousScore: 'x' }, 'risk change')).toThrow(
      /risk change is invalid: score: .*; previousScore: /,
    );
  });
});
