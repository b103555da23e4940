import type { PrismaClient } from '@rhx/db';
import { DeliveryRepository } from '@rhx/deliveries';

// The API's metrics read these at scrape time (one grouped statement each, in DeliveryRepository).

/** Deliveries per system and status. */
export const deliveryCounts = (prisma: PrismaClient) => new DeliveryRepository(prisma).counts();
/** Attempts recorded per system and outcome (every attempt ever started, as rows of `delivery_attempts`). */
export const attemptCounts = (prisma: PrismaClient) => new DeliveryRepository(prisma).attemptCounts();
/** Deliveries waiting to retry per system, and how many of them are already due. */
export const retryBacklog = (prisma: PrismaClient) => new DeliveryRepository(prisma).retryBacklog();
