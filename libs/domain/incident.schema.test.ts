import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { fieldProblems, incidentSchema } from './index.js';

const dir = join(process.cwd(), '..', 'shared', 'fixtures', 'incidents');
const load = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
const minimal = { id: 'INC-1', createdAt: '2026-11-20T08:00:00Z', actor: { name: 'k', type: 'user' }, risk: { score: 18 } };

describe('incident schema', () => {
  test.each(readdirSync(dir).filter((f) => f.endsWith('.json')))('%s parses', (name) => {
    expect(incidentSchema.safeParse(load(name)).success).toBe(true);
  });

  test('unknown fields are dropped, origin defaults to auto', () => {
    const parsed = incidentSchema.parse({ ...minimal, surprise: 1 });
    expect(parsed).not.toHaveProperty('surprise');
    expect(parsed.origin).toBe('auto');
  });

  test.each([
    [{ ...minimal, id: 'a/b' }, 'id'],
    [{ ...minimal, id: 'x'.repeat(65) }, 'id'],
    [{ ...minimal, createdAt: '2026-11-20T08:00:00' }, 'createdAt'],
    [{ ...minimal, risk: { score: 50.5 } }, 'risk.score'],
    [{ ...minimal, risk: { score: 50, confidence: 2 } }, 'risk.confidence'],
    [{ ...minimal, actor: { name: 'x'.repeat(257), type: 'user' } }, 'actor.name'],
    [{ ...minimal, rules: [{ name: 'r', severity: 'huge', count: 1 }] }, 'rules[0].severity'],
    [{ ...minimal, rules: [{ name: 'r', severity: 'low', count: 0 }] }, 'rules[0].count'],
    [{ ...minimal, mitre: { tactics: [{ id: 'T1', name: 'x' }] } }, 'mitre.tactics[0].id'],
    [{ ...minimal, sla: { targetMinutes: 0, status: 'MET', consumedPercent: 1 } }, 'sla.targetMinutes'],
    [{ ...minimal, siemAlarms: [{ id: 'a', date: '2026-11-20T08:00:00Z', rbp: 101 }] }, 'siemAlarms[0].rbp'],
    [{ ...minimal, notes: 'n'.repeat(100_001) }, 'notes'],
    [{ ...minimal, rules: Array(1001).fill({ name: 'r', severity: 'low', count: 1 }) }, 'rules'],
    [{ ...minimal, siemAlarms: Array(10_001).fill({ id: 'a', date: '2026-11-20T08:00:00Z', rbp: 1 }) }, 'siemAlarms'],
    [{ ...minimal, blastRadius: { hosts: Array(10_001).fill('h') } }, 'blastRadius.hosts'],
    [{ ...minimal, blastRadius: { users: ['u'.repeat(1001)] } }, 'blastRadius.users[0]'],
    [{ ...minimal, risk: { score: 1, factors: Array(51).fill({ name: 'f', score: 1 }) } }, 'risk.factors'],
    [{ ...minimal, mitre: { techniques: Array(501).fill({ id: 'T1000', name: 't' }) } }, 'mitre.techniques'],
    [{ ...minimal, rules: [{ name: 'r', severity: 'low', count: 1, sampleEvent: { detail: 'd'.repeat(10_001) } }] }, 'rules[0].sampleEvent.detail'],
    [{ ...minimal, attackPattern: 'a\u0000b' }, 'attackPattern'],
  ])('refuses %j at %s', (input, path) => {
    const result = incidentSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldProblems(result.error).map((p) => p.path)).toContain(path);
  });

  // PostgreSQL's timestamptz has no year 0; JavaScript writes years past 9999 in a form PostgreSQL does not read.
  const dateFields: [string, (at: string) => Record<string, unknown>][] = [
    ['createdAt', (at) => ({ ...minimal, createdAt: at })],
    ['timeline.firstAlertAt', (at) => ({ ...minimal, timeline: { firstAlertAt: at, lastAlertAt: '9999-12-31T23:59:59.999Z' } })],
    ['timeline.lastAlertAt', (at) => ({ ...minimal, timeline: { firstAlertAt: '0001-01-01T00:00:00Z', lastAlertAt: at } })],
    ['timeline.escalatedAt', (at) => ({ ...minimal, timeline: { firstAlertAt: '2026-01-01T00:00:00Z', lastAlertAt: '2026-01-01T00:00:00Z', escalatedAt: at } })],
    ['rules[0].firstSeenAt', (at) => ({ ...minimal, rules: [{ name: 'r', severity: 'low', count: 1, firstSeenAt: at }] })],
    ['rules[0].lastSeenAt', (at) => ({ ...minimal, rules: [{ name: 'r', severity: 'low', count: 1, lastSeenAt: at }] })],
    ['rules[0].sampleEvent.time', (at) => ({ ...minimal, rules: [{ name: 'r', severity: 'low', count: 1, sampleEvent: { time: at } }] })],
    ['siemAlarms[0].date', (at) => ({ ...minimal, siemAlarms: [{ id: 'a', date: at, rbp: 1 }] })],
  ];
  const outOfRange = ['0000-01-01T00:00:00Z', '0000-12-31T23:59:59+00:00', '0001-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00'];
  test.each(dateFields.flatMap(([path, make]) => outOfRange.map((at) => [path, at, make(at)] as const)))('refuses %s = %s (no PostgreSQL instant)', (path, _at, input) => {
    const result = incidentSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldProblems(result.error).map((p) => p.path)).toContain(path);
  });

  test.each(['0001-01-01T00:00:00Z', '0001-01-01T00:00:00-01:00', '9999-12-31T23:59:59.999Z', '9999-12-31T22:00:00-01:00'])('accepts the edge instant %s', (at) => {
    for (const [path, make] of dateFields) expect([path, incidentSchema.safeParse(make(at)).success]).toEqual([path, true]);
  });

  test.each([['a NUL', 'a\u0000b'], ['an unpaired high surrogate', 'a\uD800b'], ['an unpaired low surrogate', '\uDC00'], ['a reversed pair', '\uDC00\uD800']])(
    'refuses %s in text, naming the field',
    (_what, text) => {
      const result = incidentSchema.safeParse({ ...minimal, actor: { name: text, type: 'user' } });
      expect(result.success ? [] : fieldProblems(result.error).map((p) => p.path)).toEqual(['actor.name']);
    },
  );

  test('accepts a surrogate pair (an emoji) in text', () => {
    expect(incidentSchema.safeParse({ ...minimal, actor: { name: 'k.lee 😀', type: 'user' } }).success).toBe(true);
  });

  test('ids may hold colons, dots and dashes', () => {
    expect(incidentSchema.safeParse({ ...minimal, id: 'tenant:INC.2026-1_a' }).success).toBe(true);
  });
});
