/** How the fleet restarts a child that died (see {@link nextRestart}). */
export interface RestartPolicy {
  /** Wait before the first restart; it doubles with every quick death. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A child that ran at least this long was stable: its next restart waits `initialDelayMs` again. */
  stableAfterMs: number;
  /** A first run that ends on its own, non-zero, this soon is a start-up failure. */
  startupWindowMs: number;
}

export const RESTART_POLICY: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, stableAfterMs: 60_000, startupWindowMs: 30_000 };

/** One death of a child: how it ended, after how long, and on which run (1 = the first). */
export interface ChildExit {
  run: number;
  ranMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The wait chosen before this child's previous restart, if it was restarted before. */
  previousDelayMs?: number;
}

/**
 * What the fleet does when a child dies: `stop` when its first run ended on its own with a non-zero code
 * within the start-up window (bad configuration, Redis or PostgreSQL unreachable: restarting would only
 * repeat the message it printed, and hide it); otherwise `restart` after a wait that starts at
 * `initialDelayMs`, doubles up to `maxDelayMs`, and starts over once the child has run `stableAfterMs`.
 */
export function nextRestart(exit: ChildExit, policy: RestartPolicy = RESTART_POLICY): { action: 'stop'; exitCode: number } | { action: 'restart'; delayMs: number } {
  const failedAtStart = exit.run === 1 && exit.signal === null && exit.code !== 0 && exit.ranMs < policy.startupWindowMs;
  if (failedAtStart) return { action: 'stop', exitCode: exit.code ?? 1 };
  if (exit.previousDelayMs === undefined || exit.ranMs >= policy.stableAfterMs) return { action: 'restart', delayMs: policy.initialDelayMs };
  return { action: 'restart', delayMs: Math.min(exit.previousDelayMs * 2, policy.maxDelayMs) };
}
