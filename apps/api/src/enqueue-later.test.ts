import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import { EnqueueLater } from './enqueue-later.js';

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

test('a failed enqueue is tried again with growing waits until it goes through', async () => {
  let tries = 0;
  const given: string[] = [];
  const later = new EnqueueLater<string>(async () => {
    if (++tries < 3) throw new Error('Connection is closed.');
  }, (item) => given.push(item), [1000, 2000, 4000]);
  later.add('INC-1');
  expect(tries).toBe(0);
  await jest.advanceTimersByTimeAsync(1000);
  expect(tries).toBe(1);
  await jest.advanceTimersByTimeAsync(2000);
  expect(tries).toBe(2);
  await jest.advanceTimersByTimeAsync(4000);
  expect([tries, later.pending, given]).toEqual([3, 0, []]);
});

test('after the last wait it is left to the reconciler, and said so once', async () => {
  const given: string[] = [];
  const later = new EnqueueLater<string>(async () => { throw new Error('ECONNREFUSED'); }, (item) => given.push(item), [10, 20]);
  later.add('INC-2');
  await jest.advanceTimersByTimeAsync(100);
  expect([later.pending, given]).toEqual([0, ['INC-2']]);
});

test('stop drops what is waiting (shutdown): nothing runs after it', async () => {
  let tries = 0;
  const later = new EnqueueLater<string>(async () => void tries++, () => {}, [1000]);
  later.add('INC-3');
  later.stop();
  await jest.advanceTimersByTimeAsync(5000);
  expect([tries, later.pending]).toEqual([0, 0]);
});
