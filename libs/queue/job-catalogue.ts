import { z } from 'zod';
import type { JobsOptions } from 'bullmq';
import { analystStatusChangeSchema, incidentIdSchema, incidentSchema, riskChangeSchema, riskLevelSchema, targetSystemSchema } from '@rhx/domain';
import { QUEUE_NAMES, type QueueName } from './queue-names.js';
import { DEFAULT_JOB_RETENTION, keepJobs, type JobRetention } from './job-retention.js';

/** Name of the custom backoff strategy every worker of the ticket-retry queue defines (see retry-policy.ts). */
export const DELIVERY_BACKOFF = 'delivery';

const deliveryPayload = z.object({ deliveryId: z.uuid(), incidentId: incidentIdSchema, system: targetSystemSchema });

/**
 * Every job the fleet runs: its queue, payload schema and default options. Producers enqueue through
 * it (with {@link jobOptions}, which adds the configured retention); processors parse the payload
 * first and treat a parse failure as permanent.
 */
export const JOB_CATALOGUE = {
  'incident-created': {
    queue: QUEUE_NAMES.incidentEvents,
    // On the producer-library path a small incident travels in the job (`incident`), a larger one beside
    // it (`beside`: its JSON size and the nonce of its copy; see IncidentPayloadStore). The API path
    // stored it already.
    payload: z.object({
      incidentId: incidentIdSchema,
      source: z.enum(['api', 'producer']),
      severity: riskLevelSchema,
      incident: incidentSchema.optional(),
      beside: z.object({ bytes: z.number().int().positive(), nonce: z.string().regex(/^[0-9a-f]{24}$/) }).optional(),
    }),
    options: { attempts: 20, backoff: { type: 'exponential', delay: 1000 } } satisfies JobsOptions,
  },
  // A risk-changed event from the producer library. It can arrive before its incident is stored (both
  // travel on this queue and run concurrently), so a change for an unknown incident is retried.
  'risk-changed': {
    queue: QUEUE_NAMES.incidentEvents,
    payload: z.object({ incidentId: incidentIdSchema, change: riskChangeSchema }),
    options: { attempts: 20, backoff: { type: 'exponential', delay: 1000 } } satisfies JobsOptions,
  },
  // An analyst's status from the producer library (`PATCH /v1/incidents/:id`'s equivalent): recorded, and
  // a close resolves the incident's tickets. Like a risk change it may arrive before its incident is stored.
  'analyst-status': {
    queue: QUEUE_NAMES.incidentEvents,
    payload: z.object({ incidentId: incidentIdSchema, change: analystStatusChangeSchema }),
    options: { attempts: 20, backoff: { type: 'exponential', delay: 1000 } } satisfies JobsOptions,
  },
  'ticket-push': {
    queue: QUEUE_NAMES.ticketPush,
    payload: deliveryPayload,
    options: { attempts: 1 } satisfies JobsOptions,
  },
  // The attempts after a retryable failure of the push. The database decides whether another attempt
  // is due and when (RETRY_MAX_ATTEMPTS, the wait); BullMQ's own count is only a backstop against a
  // job failing for reasons outside the delivery (the database away) forever.
  'ticket-retry': {
    queue: QUEUE_NAMES.ticketRetry,
    payload: deliveryPayload,
    options: { attempts: 100, backoff: { type: DELIVERY_BACKOFF } } satisfies JobsOptions,
  },
  // One run per interval of the reconciler, whatever the number of retry workers (a Job Scheduler).
  'delivery-reconcile': {
    queue: QUEUE_NAMES.ticketRetry,
    payload: z.object({}),
    options: {} satisfies JobsOptions,
  },
  // One bi-directional sync cycle per interval across the fleet (a Job Scheduler; see libs/sync). Not
  // retried: the next interval's cycle reads every open ticket again.
  'sync-cycle': {
    queue: QUEUE_NAMES.ticketSync,
    payload: z.object({}),
    options: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 1 } satisfies JobsOptions,
  },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType; options: JobsOptions }>;

export type JobName = keyof typeof JOB_CATALOGUE;

/**
 * The options a job of `name` is added with: the catalogue's, and the retention of finished jobs
 * (`QUEUE_KEEP_*`), so Redis keeps a bounded number of them, for a bounded time, on every queue.
 */
export function jobOptions(name: JobName, retention: JobRetention = DEFAULT_JOB_RETENTION): JobsOptions {
  return { ...JOB_CATALOGUE[name].options, ...keepJobs(retention) };
}
export type JobPayload<N extends JobName> = z.output<(typeof JOB_CATALOGUE)[N]['payload']>;
export type JobInput<N extends JobName> = z.input<(typeof JOB_CATALOGUE)[N]['payload']>;

/** A job ready for BullMQ's `add`/`addBulk`: its queue, name, validated payload and options. */
export interface CatalogueJob<N extends JobName> {
  queue: QueueName;
  name: N;
  data: JobPayload<N>;
  /** `jobId` is absent only where no id derives from the work (a risk change without the producer's event id). */
  opts: JobsOptions;
}

/**
 * The one door every enqueue goes through (the API, the producer library, the workers' re-drives): the
 * payload validated against the catalogue (a malformed job is refused here, never met by a worker), the
 * catalogue's options with the configured retention, the derived job id, and an optional delay.
 */
export function catalogueJob<N extends JobName>(name: N, data: JobInput<N>, jobId: string | undefined, retention: JobRetention = DEFAULT_JOB_RETENTION, delayMs = 0): CatalogueJob<N> {
  const entry = JOB_CATALOGUE[name];
  return {
    queue: entry.queue,
    name,
    data: entry.payload.parse(data) as JobPayload<N>,
    opts: { ...jobOptions(name, retention), ...(jobId ? { jobId } : {}), ...(delayMs > 0 ? { delay: delayMs } : {}) },
  };
}

// BullMQ job ids may not contain ':' and may not be all digits (notes/BULLMQ.md), and '.' separates
// the parts of a job id: incident ids may hold both but never '%', so percent-encoding them keeps
// the mapping one-to-one (`a.123` and `a` with stamp 123 must not meet).
export function safeIdPart(value: string): string {
  return value.replaceAll(':', '%3A').replaceAll('.', '%2E');
}

/** Job ids derive from the thing they act on, so a duplicate enqueue is a no-op while the job exists. */
export const jobIds = {
  /**
   * Producer path: the incident id alone, so a repeated enqueue is a no-op while the job exists.
   * API path: the id plus the outbox row's stamp. The database already deduplicated, and a finished job
   * left in Redis from an earlier life of the same id (a restored or reset database) must not swallow
   * the new one.
   */
  incidentCreated: (incidentId: string, outboxStamp?: number) =>
    `incident-created.${safeIdPart(incidentId)}${outboxStamp === undefined ? '' : `.${outboxStamp}`}`,
  ticketPush: (deliveryId: string) => `delivery.${deliveryId}`,
  /** A risk change the producer named (`eventId`): the same event enqueued twice is one job. */
  riskChanged: (incidentId: string, eventId: string) => `risk-changed.${safeIdPart(incidentId)}.${safeIdPart(eventId)}`,
  analystStatus: (incidentId: string, eventId: string) => `analyst-status.${safeIdPart(incidentId)}.${safeIdPart(eventId)}`,
  ticketRetry: (deliveryId: string) => `retry.${deliveryId}`,
};
