import { describe, expect, test } from '@jest/globals';
import { SimulatorFaults } from './simulator-faults.js';

const FAULT = { status: 503, method: 'POST', path: '/issue' } as const;
const draws = (faults: SimulatorFaults, n: number, method = 'POST', path = '/rest/api/3/issue') =>
  Array.from({ length: n }, () => faults.take(method, path) !== undefined);

describe('SimulatorFaults.randomly', () => {
  test('a seed gives the same sequence of faults every time; another seed a different one', () => {
    const run = (seed: number) => {
      const faults = new SimulatorFaults();
      faults.randomly(0.2, FAULT, seed);
      return draws(faults, 200);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  test.each([0, 0.2, 0.5, 1])('rate %p: about that share of matching requests fail', (rate) => {
    const faults = new SimulatorFaults();
    faults.randomly(rate, FAULT, 42);
    const share = draws(faults, 5000).filter(Boolean).length / 5000;
    expect(Math.abs(share - rate)).toBeLessThan(0.03);
  });

  test('only matching requests, after the `next` faults, and until clear()', () => {
    const faults = new SimulatorFaults();
    faults.randomly(1, FAULT);
    faults.next(1, { status: 429, method: 'POST', path: '/issue' });
    expect(faults.take('POST', '/rest/api/3/issue')?.status).toBe(429);
    expect(faults.take('POST', '/rest/api/3/issue')?.status).toBe(503);
    expect(faults.take('GET', '/rest/api/3/issue')).toBeUndefined();
    expect(faults.take('POST', '/rest/api/3/search')).toBeUndefined();
    faults.clear();
    expect(faults.take('POST', '/rest/api/3/issue')).toBeUndefined();
  });
});

describe('SimulatorFaults.createThenFail', () => {
  test('status500 and drop are taken in order, once each', async () => {
    const faults = new SimulatorFaults();
    faults.createThenFail('drop');
    faults.createThenFail('status500', 2);
    expect([await faults.takeCreateFailure(), await faults.takeCreateFailure(), await faults.takeCreateFailure(), await faults.takeCreateFailure()])
      .toEqual(['drop', 'status500', 'status500', undefined]);
  });

  test('hold: resolves only after its time and its promise, then answers or drops', async () => {
    const faults = new SimulatorFaults();
    let release!: () => void;
    faults.createThenFail('hold', { ms: 50, until: new Promise<void>((r) => (release = r)) });
    faults.createThenFail('hold', { ms: 80, then: 'drop' });
    const started = Date.now();
    let settled = false;
    const first = faults.takeCreateFailure().then((v) => ((settled = true), v));
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false); // its time is over, its promise is not
    release();
    expect(await first).toBeUndefined();
    const second = Date.now();
    expect(await faults.takeCreateFailure()).toBe('drop');
    expect(Date.now() - second).toBeGreaterThanOrEqual(75);
    expect(second - started).toBeGreaterThanOrEqual(100);
  });
});

describe('SimulatorFaults.updateThenFail', () => {
  test('is its own queue: updates take update failures, creates take create failures, in order', async () => {
    const faults = new SimulatorFaults();
    faults.updateThenFail('drop');
    faults.updateThenFail('status500', 2);
    faults.createThenFail('status500');
    expect(await faults.takeCreateFailure()).toBe('status500');
    expect(await faults.takeCreateFailure()).toBeUndefined();
    expect([await faults.takeUpdateFailure(), await faults.takeUpdateFailure(), await faults.takeUpdateFailure(), await faults.takeUpdateFailure()])
      .toEqual(['drop', 'status500', 'status500', undefined]);
  });

  test('hold resolves once its promise does, then answers or drops; clear() removes pending ones', async () => {
    const faults = new SimulatorFaults();
    let release!: () => void;
    faults.updateThenFail('hold', { until: new Promise<void>((r) => (release = r)), then: 'drop' });
    let settled = false;
    const held = faults.takeUpdateFailure().then((v) => ((settled = true), v));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    expect(await held).toBe('drop');
    faults.updateThenFail('status500');
    faults.clear();
    expect(await faults.takeUpdateFailure()).toBeUndefined();
  });
});
