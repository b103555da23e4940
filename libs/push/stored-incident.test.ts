import { expect, test } from '@jest/globals';
import { storedIncident } from './stored-incident.js';

const stored = () => ({ id: 'INC-1', createdAt: '2026-11-01T00:00:00Z', actor: { name: 'alice', type: 'user' }, risk: { score: 72 }, extra: 'dropped' });

test('a stored incident is validated: defaults applied, unknown fields dropped', () => {
  expect(storedIncident(stored())).toEqual({ id: 'INC-1', createdAt: '2026-11-01T00:00:00Z', origin: 'auto', actor: { name: 'alice', type: 'user' }, risk: { score: 72 } });
});

test('the runs sharing one stored object share one validated incident; another object of the same content is validated on its own', () => {
  const one = stored();
  expect(storedIncident(one)).toBe(storedIncident(one));
  expect(storedIncident(stored())).not.toBe(storedIncident(one));
});

test('a stored incident the schema no longer accepts fails with the field, every time it is read (a failure is not remembered)', () => {
  const bad = { ...stored(), risk: { score: 101 } };
  for (let i = 0; i < 2; i++) expect(() => storedIncident(bad)).toThrow(/"risk",\s*"score"[\s\S]*<=100/);
  expect(() => storedIncident(null)).toThrow(/expected object/);
});
