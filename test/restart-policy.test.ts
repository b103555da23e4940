import { expect, test } from '@jest/globals';
import { RESTART_POLICY, nextRestart, type ChildExit } from '../scripts/restart-policy.js';

const exit = (e: Partial<ChildExit>): ChildExit => ({ run: 2, ranMs: 5000, code: 1, signal: null, ...e });

test.each<[string, Partial<ChildExit>, ReturnType<typeof nextRestart>]>([
  ['config error at the first start stops the fleet with its code', { run: 1, ranMs: 800, code: 2 }, { action: 'stop', exitCode: 2 }],
  ['an unreachable store at the first start stops the fleet', { run: 1, ranMs: 4100, code: 1 }, { action: 'stop', exitCode: 1 }],
  ['killed by a signal at the first start: restarted', { run: 1, ranMs: 800, code: null, signal: 'SIGKILL' }, { action: 'restart', delayMs: 1000 }],
  ['a first run that lasted past the start-up window: restarted', { run: 1, ranMs: 30_000, code: 1 }, { action: 'restart', delayMs: 1000 }],
  ['a clean exit 0 at the first start is unexpected too: restarted', { run: 1, ranMs: 800, code: 0 }, { action: 'restart', delayMs: 1000 }],
  ['a later quick death after a 1 s wait doubles it', { previousDelayMs: 1000 }, { action: 'restart', delayMs: 2000 }],
  ['doubling stops at 30 s', { previousDelayMs: 16_000 }, { action: 'restart', delayMs: 30_000 }],
  ['and stays there', { previousDelayMs: 30_000 }, { action: 'restart', delayMs: 30_000 }],
  ['a later quick config error is restarted, not fatal', { run: 5, ranMs: 300, code: 2, previousDelayMs: 4000 }, { action: 'restart', delayMs: 8000 }],
  ['a child that ran stably a minute starts over at 1 s', { ranMs: 60_000, previousDelayMs: 30_000 }, { action: 'restart', delayMs: 1000 }],
])('%s', (_what, e, expected) => {
  expect(nextRestart(exit(e), RESTART_POLICY)).toEqual(expected);
});
