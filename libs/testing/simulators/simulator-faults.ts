/**
 * A failure the next matching requests meet instead of (or before) the simulated API.
 * With only `delayMs` (or `holdUntil`) the request is delayed and then answered normally; with `status`, `body`,
 * `html` or `dropConnection` the fault answers it.
 */
export interface SimulatedFault {
  /** Status to answer with; default 503 (200 when `html` is set, as a wrong instance does). */
  status?: number;
  /** `Retry-After` header value: seconds or an HTTP-date. */
  retryAfter?: number | string;
  /** Body: an object is sent as JSON, a string as it is. */
  body?: unknown;
  /** Answer an HTML page (a proxy, a login page, a hibernating instance). */
  html?: boolean;
  /** Wait this long before answering (or before handling normally). */
  delayMs?: number;
  /** Wait until this settles before answering (a test decides when a slow remote finishes). */
  holdUntil?: Promise<unknown>;
  /** Destroy the socket without answering (the client sees a connection reset). */
  dropConnection?: boolean;
  /** Only requests with this method (`POST`). */
  method?: string;
  /** Only requests whose pathname ends with this string, or matches this RegExp. */
  path?: string | RegExp;
}

/**
 * How `createThenFail` answers once the record exists: a 500, a dropped connection, or `hold`: the
 * answer is held back (see {@link CreateHold}), what a client sees as a timeout when the hold outlasts
 * its HTTP timeout, after the remote made the ticket.
 */
export type CreateFailureMode = 'status500' | 'drop' | 'hold';

/** How long a held create keeps its answer, and what it does then. */
export interface CreateHold {
  /** Hold at least this long. */
  ms?: number;
  /** And until this settles (a test decides when the slow remote answers). */
  until?: Promise<unknown>;
  /** Then send the answer (default: to a client that may have given up), or cut the connection. */
  then?: 'answer' | 'drop';
}

/**
 * How `updateThenFail` answers once the update is applied (the note is on the ticket): the same modes
 * as {@link CreateFailureMode}.
 */
export type UpdateFailureMode = CreateFailureMode;

/** How long a held update keeps its answer, and what it does then (as {@link CreateHold}). */
export type UpdateHold = CreateHold;

type AppliedFailure = { mode: 'status500' | 'drop' } | { mode: 'hold'; hold: CreateHold };

interface Pending {
  remaining: number;
  fault: SimulatedFault;
}

interface Random {
  rate: number;
  fault: SimulatedFault;
  draw: () => number;
}

/** Fault switches shared by every simulator; state lives until `clear()`. */
export class SimulatorFaults {
  private pending: Pending[] = [];
  private createFailures: AppliedFailure[] = [];
  private updateFailures: AppliedFailure[] = [];
  private random: Random[] = [];

  /** The next `count` requests that match `fault.method`/`fault.path` meet `fault`. */
  next(count: number, fault: SimulatedFault): void {
    if (count > 0) this.pending.push({ remaining: count, fault });
  }

  /**
   * The next `times` creates store the record and then fail: a 500, a dropped connection, or (`hold`)
   * an answer held back as `hold` says (what a client sees as a timeout after the remote already
   * created the ticket, when the hold is longer than its HTTP timeout).
   */
  createThenFail(mode?: 'status500' | 'drop', times?: number): void;
  createThenFail(mode: 'hold', hold: CreateHold, times?: number): void;
  createThenFail(mode: CreateFailureMode = 'status500', holdOrTimes?: CreateHold | number, maybeTimes?: number): void {
    this.createFailures.push(...appliedFailures(mode, holdOrTimes, maybeTimes));
  }

  /**
   * The next `times` updates (a Jira comment `POST`, a ServiceNow incident `PATCH`, a Proactive
   * `POST /cases/{n}/updates`) are applied, so the note is on the ticket, and then fail as
   * `createThenFail` does: a 500, a dropped connection, or an answer held back (a client timeout
   * after the note landed). For an update refused *without* being applied, use `next()` with a
   * `status` (the fault answers instead of the simulated API, which never sees the request).
   */
  updateThenFail(mode?: 'status500' | 'drop', times?: number): void;
  updateThenFail(mode: 'hold', hold: UpdateHold, times?: number): void;
  updateThenFail(mode: UpdateFailureMode = 'status500', holdOrTimes?: UpdateHold | number, maybeTimes?: number): void {
    this.updateFailures.push(...appliedFailures(mode, holdOrTimes, maybeTimes));
  }

  /**
   * From now until `clear()`, each request that matches `fault.method`/`fault.path` (and meets no
   * `next` fault) meets `fault` with probability `rate`, drawn from a PRNG seeded with `seed`: the
   * same seed gives the same sequence of draws, so a failing run can be repeated.
   */
  randomly(rate: number, fault: SimulatedFault, seed = 1): void {
    this.random.push({ rate, fault, draw: mulberry32(seed) });
  }

  /** Removes every pending fault. */
  clear(): void {
    this.pending = [];
    this.createFailures = [];
    this.updateFailures = [];
    this.random = [];
  }

  /** The fault this request meets, if any (consumes one use). */
  take(method: string, path: string): SimulatedFault | undefined {
    const entry = this.pending.find((p) => matches(p.fault, method, path));
    if (!entry) return this.random.find((r) => matches(r.fault, method, path) && r.draw() < r.rate)?.fault;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.pending = this.pending.filter((p) => p !== entry);
    return entry.fault;
  }

  /**
   * How a successful create must fail instead of answering, if it must; a held create resolves after
   * its hold, to `drop` or (answer as usual) undefined.
   */
  async takeCreateFailure(): Promise<'status500' | 'drop' | undefined> {
    return settle(this.createFailures.shift());
  }

  /** The same for a successful update (see `updateThenFail`). */
  async takeUpdateFailure(): Promise<'status500' | 'drop' | undefined> {
    return settle(this.updateFailures.shift());
  }
}

function appliedFailures(mode: CreateFailureMode, holdOrTimes: CreateHold | number | undefined, maybeTimes: number | undefined): AppliedFailure[] {
  const failure: AppliedFailure = mode === 'hold' ? { mode, hold: (holdOrTimes as CreateHold | undefined) ?? {} } : { mode };
  const times = (mode === 'hold' ? maybeTimes : (holdOrTimes as number | undefined)) ?? 1;
  return Array.from({ length: times }, () => failure);
}

async function settle(failure: AppliedFailure | undefined): Promise<'status500' | 'drop' | undefined> {
  if (failure?.mode !== 'hold') return failure?.mode;
  const { ms = 0, until, then = 'answer' } = failure.hold;
  await Promise.all([new Promise((resolve) => setTimeout(resolve, ms)), until]);
  return then === 'drop' ? 'drop' : undefined;
}

function matches(fault: SimulatedFault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? path.endsWith(fault.path) : fault.path.test(path);
}

// A small, well-known 32-bit PRNG (Math.random cannot be seeded).
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
