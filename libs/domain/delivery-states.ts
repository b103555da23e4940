/**
 * The delivery state machine, in one place: every status and kind a delivery can have and every event
 * that moves it, with the statuses each event may start from. The statements of `@rhx/deliveries` (and
 * the ingest statement that opens an incident's first deliveries) build their `WHERE status = …` guards
 * from this table, so no writer can disagree with it; `test/delivery-states.int.test.ts` runs every
 * (status, event) pair against PostgreSQL and checks the outcome is the table's. PERSISTED: statuses and
 * kinds are stored (with CHECK constraints); never rename one.
 */

export const DELIVERY_STATUSES = ['PENDING', 'IN_PROGRESS', 'RETRY_WAIT', 'SUCCEEDED', 'FAILED', 'SKIPPED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** `create` makes the ticket; `update` adds one risk change's update to it; `resolve` closes it. */
export const DELIVERY_KINDS = ['create', 'update', 'resolve'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/** Every outcome an attempt can have (persisted in `delivery_attempts.outcome`). */
export const ATTEMPT_OUTCOMES = ['STARTED', 'SUCCEEDED', 'FAILED', 'UNKNOWN'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Statuses no run will move on its own: only a re-drive (or a ticket found later) moves them. */
export const FINISHED_STATUSES: readonly DeliveryStatus[] = ['SUCCEEDED', 'FAILED', 'SKIPPED'];
/** Statuses some run will still take: the reconciler looks after them. */
export const UNFINISHED_STATUSES: readonly DeliveryStatus[] = ['PENDING', 'IN_PROGRESS', 'RETRY_WAIT'];

interface Transition {
  /** The statuses the event may start from; any other is refused and left unchanged. */
  from: readonly DeliveryStatus[];
  to: DeliveryStatus;
  /** What else must hold, beyond the status, for the statement to apply (checked in its SQL). */
  guard: string;
}

const UNFINISHED = UNFINISHED_STATUSES;

/**
 * The transitions. Each is one named statement of `@rhx/deliveries` (`open`: the ingest insert, a risk
 * change's update, an analyst's push).
 */
export const TRANSITIONS = {
  /** A run takes the delivery's lease and starts an attempt. */
  lease: {
    from: UNFINISHED,
    to: 'IN_PROGRESS',
    guard: 'no live lease; a RETRY_WAIT delivery only once next_attempt_at has come; a create only while its generation has no ticket; an update only while its ticket is live and no newer update of that ticket exists; an update or a resolve only while no other update or resolve of its ticket is in flight',
  },
  /** The remote made the ticket (or took the update): recorded whoever holds the lease now, since it exists. */
  succeed: { from: ['PENDING', 'IN_PROGRESS', 'RETRY_WAIT', 'FAILED', 'SKIPPED'], to: 'SUCCEEDED', guard: 'none: the remote did it' },
  /** A retryable failure with attempts left: the next attempt is due at next_attempt_at. */
  retry: { from: UNFINISHED, to: 'RETRY_WAIT', guard: "this run's lease, or (a failure before any lease) no live lease" },
  /** A permanent failure, or the round's last attempt. */
  fail: { from: UNFINISHED, to: 'FAILED', guard: "this run's lease, or no live lease" },
  /** Not sent (the system's throttle held it back, or an unknown outcome must settle first): no attempt spent. */
  defer: { from: UNFINISHED, to: 'RETRY_WAIT', guard: "this run's lease, or no live lease" },
  /** The target system is not configured or is disabled. */
  skip: { from: UNFINISHED, to: 'SKIPPED', guard: "this run's lease, or no live lease" },
  /** A newer update of the same ticket exists: it carries the latest level, so this one is dropped. */
  supersede: { from: ['PENDING', 'IN_PROGRESS', 'RETRY_WAIT', 'FAILED'], to: 'SKIPPED', guard: "an update; this run's lease, or no live lease" },
  /** An operator's re-drive, or an analyst's push of a failed or skipped create: a new round of attempts. */
  redrive: {
    from: ['FAILED', 'SKIPPED'],
    to: 'PENDING',
    guard: 'a create only while its generation has no ticket; an update or a resolve only while its ticket is live, an update only if it was not superseded',
  },
} as const satisfies Record<string, Transition>;

export type DeliveryEvent = keyof typeof TRANSITIONS;
export const DELIVERY_EVENTS = Object.keys(TRANSITIONS) as DeliveryEvent[];

/** A delivery is opened PENDING (the `open` statements: ingest, a risk change's update, a manual push). */
export const OPENED_STATUS: DeliveryStatus = 'PENDING';

/** Whether the table lets `event` start from `status` (before its guard). */
export function mayStart(event: DeliveryEvent, status: DeliveryStatus): boolean {
  return (TRANSITIONS[event].from as readonly DeliveryStatus[]).includes(status);
}

/** The statuses `event` may start from, as an SQL array literal for a statement's guard. */
export function fromStatusesSql(event: DeliveryEvent): string {
  return `ARRAY[${TRANSITIONS[event].from.map((s) => `'${s}'`).join(', ')}]::text[]`;
}

/**
 * The guard "`column` is a status `event` may start from", for statements that find their deliveries by id
 * in a batch (the lease, the settle): `IS TRUE` keeps it a filter, never an index condition. Otherwise,
 * whenever the statistics say few deliveries wait (and they say so between ANALYZEs while a backlog grows),
 * PostgreSQL reads every waiting delivery through the status index and matches each against the batch:
 * with 3,000 queued, a lease statement read ~7,700 blocks, and PostgreSQL's CPU per ticket was five times
 * the usual (bench row (f) on a database holding earlier days).
 */
export function statusGuardSql(column: string, event: DeliveryEvent): string {
  return `(${column} = ANY(${fromStatusesSql(event)})) IS TRUE`;
}

/** An SQL array literal of statuses (for reads: the reconciler, the lists). */
export function statusesSql(statuses: readonly DeliveryStatus[]): string {
  return `ARRAY[${statuses.map((s) => `'${s}'`).join(', ')}]::text[]`;
}
