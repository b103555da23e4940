import type { Redis } from 'ioredis';

/**
 * Producer-path incidents larger than this travel beside their job (one Redis key each) instead of in
 * it: a worker fetches up to its concurrency of jobs at once, whole, before it can look at their size,
 * so only small incidents may ride in the jobs. Larger ones are read when the worker's memory budget
 * allows.
 */
export const INLINE_INCIDENT_BYTES = 64 * 1024;

// Kept until the incident is stored; this only bounds what a job that never ran leaves behind.
const KEEP_SECONDS = 7 * 24 * 3600;

/**
 * Incidents (as JSON text) waiting in Redis beside their incident-created job, keyed by incident id
 * under the fleet's prefix (so `{rhx}` keeps them in the queue's Redis Cluster slot). As durable as
 * the job itself: both live in the same Redis.
 */
export class IncidentPayloadStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Stores the incident's JSON unless one is already waiting for this id (the first event wins, as in the database). */
  async put(incidentId: string, json: string): Promise<void> {
    await this.redis.set(this.key(incidentId), json, 'EX', KEEP_SECONDS, 'NX');
  }

  async get(incidentId: string): Promise<string | null> {
    return this.redis.get(this.key(incidentId));
  }

  /** Drops the waiting copy once the incident is in PostgreSQL. */
  async remove(incidentId: string): Promise<void> {
    await this.redis.del(this.key(incidentId));
  }

  private key(incidentId: string): string {
    // Incident ids hold no '%', so encoding ':' keeps the key one-to-one and free of the separator.
    return `${this.prefix}:incident-payload:${incidentId.replaceAll(':', '%3A')}`;
  }
}
