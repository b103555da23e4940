import type { IncidentRepository, IngestCommand, IngestResult } from '@rhx/db';

/**
 * Group commit for the ingest worker: events that arrive while a statement is in flight wait and go
 * together in the next one (at most `maxBatch`), so a busy worker commits hundreds of incidents per
 * WAL flush instead of one, while a lone event still goes at once. Each caller gets its own result;
 * a failed statement fails every job in it, and BullMQ retries them (ingest is idempotent).
 */
export class IngestBatcher {
  private pending: { cmd: IngestCommand; resolve: (r: IngestResult) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly maxBatch = 100,
    private readonly maxInFlight = 2,
  ) {}

  submit(cmd: IngestCommand): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ cmd, resolve, reject });
      // Let the jobs that start in this turn of the event loop join before the statement goes.
      if (this.pending.length === 1) setImmediate(() => this.drain());
    });
  }

  private drain(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.inFlight++;
      this.incidents
        .ingestMany(batch.map((b) => b.cmd))
        .then(
          (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
          (err: unknown) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          this.inFlight--;
          this.drain();
        });
    }
  }
}
