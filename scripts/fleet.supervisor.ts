import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '@rhx/logger';
import { RESTART_POLICY, nextRestart, type RestartPolicy } from './restart-policy.js';

/** A long-running process of the fleet. */
export interface ChildSpec {
  name: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
}

interface ChildState {
  spec: ChildSpec;
  process?: ChildProcess;
  startedAt: number;
  runs: number;
  delayMs?: number;
  timer?: NodeJS.Timeout;
}

/** How long children get to stop after SIGTERM before they are killed (their own limit is ~9 s). */
const STOP_LIMIT_MS = 15_000;

/**
 * Runs each child (`node <args>`, output inherited), restarts one that dies with the {@link nextRestart}
 * policy, logging every restart as one line, and stops the whole fleet when a child fails at start.
 * `stop()` (SIGTERM/SIGINT) stops every child, restarts none, and ends with `exit(0)`.
 */
export class FleetSupervisor {
  private readonly children: ChildState[];
  private stopping = false;
  private exitCode = 0;

  constructor(
    specs: ChildSpec[],
    private readonly logger: Logger,
    private readonly exit: (code: number) => void,
    private readonly policy: RestartPolicy = RESTART_POLICY,
  ) {
    this.children = specs.map((spec) => ({ spec, startedAt: 0, runs: 0 }));
  }

  start(): void {
    for (const state of this.children) this.spawn(state);
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info({ signal }, 'fleet stopping');
    for (const state of this.children) clearTimeout(state.timer);
    const running = this.running();
    for (const child of running) child.kill('SIGTERM');
    if (running.length === 0) return this.finish();
    setTimeout(() => {
      this.logger.error({ children: this.running().map((c) => c.pid) }, 'children did not stop in time; killing them');
      for (const child of this.running()) child.kill('SIGKILL');
      this.exitCode = 1;
    }, STOP_LIMIT_MS).unref();
  }

  private running(): ChildProcess[] {
    return this.children.flatMap((s) => (s.process && s.process.exitCode === null && s.process.signalCode === null ? [s.process] : []));
  }

  private spawn(state: ChildState): void {
    state.runs += 1;
    state.startedAt = Date.now();
    const child = spawn(process.execPath, state.spec.args, { cwd: state.spec.cwd, env: state.spec.env, stdio: 'inherit' });
    state.process = child;
    this.logger.info({ child: state.spec.name, pid: child.pid, run: state.runs }, 'child started');
    child.on('exit', (code, signal) => this.onExit(state, code, signal));
    // A process that could not be started at all (no 'exit' follows): handled as one that failed at once.
    child.on('error', (err) => {
      this.logger.error({ child: state.spec.name, err: err.message }, 'child could not be started');
      if (child.pid === undefined) this.onExit(state, 1, null);
    });
  }

  private onExit(state: ChildState, code: number | null, signal: NodeJS.Signals | null): void {
    const fields = { child: state.spec.name, pid: state.process?.pid, code, signal };
    if (this.stopping) {
      this.logger.info(fields, 'child stopped');
      if (this.running().length === 0) this.finish();
      return;
    }
    const ranMs = Date.now() - state.startedAt;
    const decision = nextRestart({ run: state.runs, ranMs, code, signal, ...(state.delayMs === undefined ? {} : { previousDelayMs: state.delayMs }) }, this.policy);
    if (decision.action === 'stop') {
      this.logger.error({ ...fields, ranMs }, 'child failed at start; stopping the fleet (its message is above)');
      this.exitCode = decision.exitCode;
      this.stop();
      return;
    }
    state.delayMs = decision.delayMs;
    this.logger.warn({ ...fields, ranMs, restartInMs: decision.delayMs }, 'child exited; restarting');
    state.timer = setTimeout(() => this.spawn(state), decision.delayMs);
  }

  private finish(): void {
    this.logger.info({ exitCode: this.exitCode }, 'fleet stopped');
    this.exit(this.exitCode);
  }
}
