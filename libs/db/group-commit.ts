export interface GroupCommitOptions<I> {
  /** Most items in one statement (default 100). */
  maxBatch?: number;
  /** Statements in flight at once (default 2). */
  maxInFlight?: number;
  /** An item's size (bytes of the data it carries); batches stop growing at `maxWeight` (default: every item weighs 0). */
  weigh?: (item: I) => number;
  /** Most weight in one statement, so that one statement never carries hundreds of megabytes (default 8 MB). */
  maxWeight?: number;
}

/**
 * Group commit: calls that arrive while a statement is in flight wait and go together in the next one
 * (at most `maxBatch` items and `maxWeight` of data, always at least one item), so under load many
 * items share one round trip and one WAL flush, while a lone item still goes at once.
 * Each caller gets its own result. The statement is all-or-nothing, so when a shared one fails each
 * of its items is committed again on its own: one bad item (text the database refuses) fails only
 * its own caller, never the good items that happened to share its statement.
 */
export class GroupCommit<I, R> {
  private pending: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly weigh: (item: I) => number;
  private readonly maxWeight: number;

  constructor(
    private readonly commit: (items: I[]) => Promise<R[]>,
    options: GroupCommitOptions<I> = {},
  ) {
    this.maxBatch = options.maxBatch ?? 100;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.weigh = options.weigh ?? (() => 0);
    this.maxWeight = options.maxWeight ?? 8 * 1024 * 1024;
  }

  submit(item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      // Let the calls that start in this turn of the event loop join before the statement goes.
      if (this.pending.length === 1) setImmediate(() => this.drain());
    });
  }

  private drain(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.batchLength());
      this.inFlight++;
      this.run(batch).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  private batchLength(): number {
    let weight = 0;
    let n = 0;
    while (n < this.pending.length && n < this.maxBatch) {
      weight += this.weigh(this.pending[n]!.item);
      if (n > 0 && weight > this.maxWeight) break;
      n++;
    }
    return n;
  }

  private async run(batch: typeof this.pending): Promise<void> {
    try {
      const results = await this.commit(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // Nothing of the failed statement was committed: each item alone tells whose the failure was.
      // One after another, so that a database in trouble gets one statement at a time from here.
      for (const b of batch) await this.run([b]);
    }
  }
}
