import { randomBytes } from 'node:crypto';
import type { RedisClient } from './connection.js';
import { safeIdPart } from './job-catalogue.js';

/**
 * Producer-path incidents larger than this travel beside their job (one Redis key each) instead of in
 * it: a worker fetches up to its concurrency of jobs at once, whole, before it can look at their size,
 * so only small incidents may ride in the jobs. Larger ones are read when the worker's memory budget
 * allows.
 */
export const INLINE_INCIDENT_BYTES = 64 * 1024;

// Removed once the incident is stored. The expiry only bounds what a job that never ran leaves behind,
// and is far longer than an incident-created job can live (its attempts and backoff end within days).
const KEEP_SECONDS = 30 * 24 * 3600;

/**
 * Incidents (as JSON text) waiting in Redis beside their incident-created job, one key per job: the
 * incident id and a nonce the job carries, under the incident-events queue's own prefix (on Redis Cluster
 * its hash tag, so a copy lives on the node of its job). As durable as the job itself: both live in the
 * same Redis.
 */
export class IncidentPayloadStore {
  constructor(
    private readonly redis: RedisClient,
    /** The incident-events queue's prefix (`Queues.layout.queue('incident-events')`). */
    private readonly prefix: string,
  ) {}

  /** A fresh nonce for the next job's copy. */
  static nonce(): string {
    return randomBytes(12).toString('hex');
  }

  async put(incidentId: string, nonce: string, json: string): Promise<void> {
    await this.redis.set(this.key(incidentId, nonce), json, 'EX', KEEP_SECONDS);
  }

  async get(incidentId: string, nonce: string): Promise<string | null> {
    return this.redis.get(this.key(incidentId, nonce));
  }

  /** Drops a copy: once its incident is in PostgreSQL, or when its job was never added (a duplicate). */
  async remove(incidentId: string, nonce: string): Promise<void> {
    await this.redis.del(this.key(incidentId, nonce));
  }

  private key(incidentId: string, nonce: string): string {
    return `${this.prefix}:incident-payload:${safeIdPart(incidentId)}:${nonce}`;
  }
}
