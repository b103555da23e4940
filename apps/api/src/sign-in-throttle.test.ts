import { describe, expect, test } from '@jest/globals';
import { SIGN_IN_SCHEDULE, accountOf, clientOf, signInDelayMs } from './sign-in-throttle.js';

describe('the sign-in delay schedule', () => {
  test.each([
    [0, 0], [1, 0], [2, 0], [3, 250], [4, 500], [5, 1000], [6, 2000], [7, 4000], [8, 5000], [20, 5000], [1_000_000, 5000],
  ])('after %d failures the next attempt waits %d ms', (failures, delayMs) => {
    expect(signInDelayMs(failures)).toBe(delayMs);
  });

  test('the cap holds for any schedule, and counts are forgotten after 15 quiet minutes by default', () => {
    const schedule = { freeFailures: 0, firstDelayMs: 30, maxDelayMs: 100, windowMs: 1000 };
    expect([0, 1, 2, 3, 50].map((n) => signInDelayMs(n, schedule))).toEqual([30, 60, 100, 100, 100]);
    expect(SIGN_IN_SCHEDULE.windowMs).toBe(15 * 60_000);
  });
});

describe('what a failure counts against', () => {
  test.each([
    ['admin', 'admin'], ['Admin ', 'admin'], [' ADMIN', 'admin'], ['ａｄｍｉｎ', 'admin'], ['operator', 'operator'],
  ])('user name %j counts as account %j', (typed, account) => {
    expect(accountOf(typed)).toBe(account);
  });

  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:0db8:0001:0002::/64'],
    ['2001:db8:1:2::99', '2001:0db8:0001:0002::/64'],
    ['2001:DB8:1:2:ffff::1', '2001:0db8:0001:0002::/64'],
    ['2001:db8::1', '2001:0db8:0000:0000::/64'],
    ['::1', '0000:0000:0000:0000::/64'],
    ['fe80::1%eth0', 'fe80:0000:0000:0000::/64'],
    ['64:ff9b::192.0.2.1', '0064:ff9b:0000:0000::/64'],
  ])('address %j counts as client %j', (ip, client) => {
    expect(clientOf(ip)).toBe(client);
  });
});
