import { describe, expect, test } from '@jest/globals';
import { jobIds } from './job-catalogue.js';

// Producer-path ids are `incident-created.<id>`, API-path ids add `.<outbox stamp>`: both kinds, over ids
// built to collide, must all differ and be ids BullMQ accepts (no ':', not all digits).
const CASES: [incidentId: string, stamp?: number][] = [
  ['a.123'],
  ['a', 123],
  ['a.1', 23],
  ['a.1.23'],
  ['a:1'],
  ['a_1'],
  ['x.y', 1],
  ['x', 1],
  ['x.y.1'],
  ['123'],
  ['1', 23],
];

describe('incident-created job ids', () => {
  const ids = CASES.map(([id, stamp]) => jobIds.incidentCreated(id, stamp));

  test('no two (incident id, stamp) pairs share a job id', () => {
    expect(new Set(ids).size).toBe(CASES.length);
  });

  test.each(CASES.map(([id, stamp], i) => [id, stamp, ids[i]!]))('%s (stamp %s) → %s is a valid BullMQ job id', (_id, _stamp, jobId) => {
    expect(jobId).not.toContain(':');
    expect(jobId).not.toMatch(/^\d+$/);
  });

  test('the same incident and stamp always give the same id (a repeated enqueue is a no-op)', () => {
    expect(jobIds.incidentCreated('INC-2026-0001', 7)).toBe(jobIds.incidentCreated('INC-2026-0001', 7));
    expect(jobIds.incidentCreated('INC-2026-0001')).toBe('incident-created.INC-2026-0001');
  });
});
