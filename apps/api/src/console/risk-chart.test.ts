import { expect, test } from '@jest/globals';
import { riskChart } from './risk-chart.js';

test('one point draws nothing; the first and last points span the width, scores the height', () => {
  expect(riskChart([{ at: '2026-12-01T00:00:00Z', score: 50 }])).toBeUndefined();
  const chart = riskChart([
    { at: '2026-12-01T00:00:00Z', score: 0 },
    { at: '2026-12-01T01:00:00Z', score: 100 },
    { at: '2026-12-01T02:00:00Z', score: 50 },
  ])!;
  expect(chart.dots.map((d) => [d.x, d.y])).toEqual([[34, 152], [332, 8], [630, 80]]);
  expect(chart.points).toBe('34,152 332,8 630,80');
  expect(chart.bands.map((b) => b.label)).toEqual(['CRITICAL 90', 'HIGH 70', 'MEDIUM 40']);
});
