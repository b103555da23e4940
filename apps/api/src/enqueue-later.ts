/**
 * Enqueues that failed while Redis was away (a failover), tried again in the background after the
 * incident's 202: the incident is in PostgreSQL already, so this only brings it to the workers seconds
 * after Redis is back instead of at the reconciler's next sweep (up to three minutes). The enqueue is
 * idempotent (the job id carries the outbox stamp); a process that stops with some still owed leaves
 * them to the reconciler, as before.
 */
export class EnqueueLater<T> {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly enqueue: (item: T) => Promise<void>,
    private readonly onGiveUp: (item: T, err: unknown) => void,
    /** Waits before each try; after the last, the reconciler has it. */
    private readonly delaysMs: readonly number[] = [1000, 2000, 4000, 8000, 15_000, 30_000],
  ) {}

  add(item: T, attempt = 0): void {
    const delay = this.delaysMs[attempt];
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(item).catch((err: unknown) => {
        if (attempt + 1 < this.delaysMs.length) this.add(item, attempt + 1);
        else this.onGiveUp(item, err);
      });
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  /** How many are waiting for their next try. */
  get pending(): number {
    return this.timers.size;
  }

  /** Stops trying (shutdown): what is left is the reconciler's. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
