import { randomBytes } from 'node:crypto';

/** Every `ticketStatus` the provider documents, older spellings included. */
export const PROACTIVE_TICKET_STATUSES = [
  'New', 'Work in Progress', 'Work In Progress', 'Pending', 'Suspended', 'Resolved', 'Closed', 'Cancelled', 'Canceled',
] as const;
export type ProactiveTicketStatusName = (typeof PROACTIVE_TICKET_STATUSES)[number];

/** One update a case received, in order. */
export interface SimulatedCaseUpdate {
  workNote: string;
  priority?: string;
  at: string;
}

/** A case the Proactive simulator holds. */
export interface SimulatedProactiveCase {
  caseNumber: string;
  sysId: string;
  externalId: string;
  table: string;
  serviceIdentifier: string;
  priority: string;
  shortDescription: string;
  description: string;
  category: string | null;
  deepLink: string | null;
  ticketStatus: ProactiveTicketStatusName;
  resolutionNote: string | null;
  createdAt: string;
  updatedAt: string;
  updates: SimulatedCaseUpdate[];
}

/** What a create stores, once validated. */
export type NewCase = Pick<SimulatedProactiveCase, 'externalId' | 'table' | 'serviceIdentifier' | 'priority' | 'shortDescription' | 'description' | 'category' | 'deepLink'>;

/** `2026-11-27T10:02:11Z`, as the provider writes times. */
function isoSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** In-memory cases; numbers count from CS0100001. No deduplication: two creates make two cases. */
export class ProactiveStore {
  readonly cases: SimulatedProactiveCase[] = [];
  private nextNumber = 100001;

  create(values: NewCase): SimulatedProactiveCase {
    const now = isoSeconds();
    const created: SimulatedProactiveCase = {
      ...values,
      caseNumber: `CS${String(this.nextNumber++).padStart(7, '0')}`,
      sysId: randomBytes(16).toString('hex'),
      ticketStatus: 'New',
      resolutionNote: null,
      createdAt: now,
      updatedAt: now,
      updates: [],
    };
    this.cases.push(created);
    return created;
  }

  find(caseNumber: string): SimulatedProactiveCase | undefined {
    return this.cases.find((c) => c.caseNumber === caseNumber);
  }

  /** Cases of an external id, newest first. */
  byExternalId(externalId: string): SimulatedProactiveCase[] {
    return this.cases.filter((c) => c.externalId === externalId).reverse();
  }

  addUpdate(found: SimulatedProactiveCase, update: { workNote: string; priority?: string }): void {
    const at = isoSeconds();
    found.updates.push({ ...update, at });
    if (update.priority) found.priority = update.priority;
    found.updatedAt = at;
  }

  setStatus(found: SimulatedProactiveCase, ticketStatus: ProactiveTicketStatusName, resolutionNote?: string): void {
    found.ticketStatus = ticketStatus;
    if (resolutionNote !== undefined) found.resolutionNote = resolutionNote;
    found.updatedAt = isoSeconds();
  }
}
