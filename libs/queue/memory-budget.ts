/**
 * A budget of bytes shared by the jobs of one process: a job reserves what it is about to hold in
 * memory (a stored incident it reads and renders) and releases it when it is done, and waits while
 * the budget is spent. This bounds memory by bytes instead of by job count: fifty 14 KB incidents go
 * at once, fifty 2 MB incidents go a few at a time. A request larger than the whole budget waits for
 * the budget to be entirely free and then goes alone, so no valid input is refused.
 */
export class MemoryBudget {
  private used = 0;
  private readonly waiting: { bytes: number; grant: () => void }[] = [];

  constructor(readonly totalBytes: number) {}

  /** Reserves `bytes` (waiting in arrival order); the returned function gives them back, once. */
  async reserve(bytes: number): Promise<() => void> {
    const amount = Math.min(Math.max(0, bytes), this.totalBytes);
    if (this.waiting.length === 0 && this.used + amount <= this.totalBytes) this.used += amount;
    else await new Promise<void>((grant) => this.waiting.push({ bytes: amount, grant }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= amount;
      this.grantWaiting();
    };
  }

  /** Bytes reserved now (for tests and metrics). */
  get inUse(): number {
    return this.used;
  }

  // First come, first served: a large request at the head is not starved by a stream of small ones.
  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.bytes <= this.totalBytes) {
      const next = this.waiting.shift()!;
      this.used += next.bytes;
      next.grant();
    }
  }
}
