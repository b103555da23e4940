import type { FollowedTicket } from '@rhx/tickets';
import type { Incident, TargetSystem } from '@rhx/domain';
import type { Lifecycle } from '@rhx/fields';

/** Where a ticket lives: stored on the incident once created. */
export interface TicketReference {
  system: TargetSystem;
  /** What people call it: Jira key (`SEC-24`) or ServiceNow number (`INC0010002`). */
  externalId: string;
  /** The remote's record id used for later calls: Jira issue id or ServiceNow sys_id. */
  remoteId: string;
  /** Browse link for people: Jira `<base>/browse/<KEY>`, ServiceNow `nav_to.do` link. */
  url: string;
}

/**
 * A create request exactly as it will be sent. The preview shows it and the push sends it, so
 * `JSON.stringify(body)` is byte-for-byte the HTTP request body.
 */
export interface CreateRequest {
  system: TargetSystem;
  incidentId: string;
  summary: string;
  /** The description as text people read (ADF flattened to text for Jira Cloud). */
  description: string;
  /** Jira priority name (`Highest`…) or ServiceNow priority (`1 - Critical`…). */
  priority: string;
  body: Record<string, unknown>;
}

export interface TicketStatus {
  /** The remote's own state (`In Progress`, `2`, …). */
  state: string;
  /** False once the remote considers the ticket done (Jira status category `done`, ServiceNow 6/7/8). */
  open: boolean;
  /**
   * The remote's coarse class of `state`, where it has one: Jira's status category key (`new`,
   * `indeterminate`, `done`), which is what the sync cycle maps (status names differ per workflow).
   */
  category?: string;
}

/** What {@link TicketAdapter.findUpdate} learned about one update. */
export type UpdatePresence = 'found' | 'absent' | 'unknown';

/** One per target system; every method throws {@link TicketError} on failure and never retries. */
export interface TicketAdapter {
  readonly system: TargetSystem;
  /** One minimal authenticated call (or the few the spec names); resolves with a human message. */
  testConnection(): Promise<{ message: string }>;
  /**
   * Builds the exact create request (may resolve and cache remote look-ups such as an assignment group).
   * `generation` (default 1) is the incident's ticket generation in this system: 2… once an earlier
   * ticket vanished; each generation carries its own dedup key, so a look-up never adopts an older one.
   * `followsUp`: the earlier ticket a follow-up follows (closed for good), named and linked first in its description.
   */
  prepareCreate(incident: Incident, generation?: number, followsUp?: FollowedTicket): Promise<CreateRequest>;
  createTicket(request: CreateRequest): Promise<TicketReference>;
  /** The ticket of `generation` (default 1) an earlier attempt may have made for this incident, or null. */
  findExisting(incidentId: string, generation?: number): Promise<TicketReference | null>;
  addUpdate(ref: TicketReference, note: string, level?: Incident['risk']['level']): Promise<void>;
  /**
   * Whether an update whose note contains `marker` is on the ticket, read the way the remote answers
   * at once (never from an eventually consistent search index), so an update whose answer was lost
   * can be checked before it is sent again:
   * - `'found'`: a note on the ticket contains `marker`;
   * - `'absent'`: the notes the remote shows hold none with `marker` (systems that page their notes
   *   look at the newest ones only: the update being checked was just sent);
   * - `'unknown'`: the system offers no way to read updates back, or the integration user may not
   *   read them; nothing can be concluded.
   * `marker` is 1–100 characters of `A-Z a-z 0-9 . _ : -` (it is spliced into remote queries); any
   * other is a permanent INVALID_REQUEST. Every other failure throws {@link TicketError} classified
   * as the adapter's other calls (a ticket gone is NOT_FOUND, a 5xx REMOTE_UNAVAILABLE, …). Read-only.
   */
  findUpdate(ref: TicketReference, marker: string): Promise<UpdatePresence>;
  readStatus(ref: TicketReference): Promise<TicketStatus>;
  /**
   * The field rules checked against the remote's own metadata before any push (CONTRACT §3): problems in
   * the remote's names, and what could not be checked (no read access). Absent: the system takes no rules.
   */
  checkFields?(): Promise<FieldCheck>;
  /**
   * Sets the `onUpdate` field rules again on an update, for this incident as it is now: only the fields
   * whose value differs from the ticket's, never the dedup label, never an assignee set by hand. Rules the
   * remote will not take are skipped and reported, never failing the update. Absent: no rules.
   */
  updateFields?(ref: TicketReference, incident: Incident): Promise<FieldUpdate>;
  /** What this system's tickets do when the incident closes or comes back (its `lifecycle` setting). */
  readonly lifecycle: Lifecycle;
  /**
   * Resolves the ticket as the system's `lifecycle` settings say (Jira: the transition to the done
   * category or the one named, with its resolution; ServiceNow: state 6 with close code and notes;
   * Proactive: a work note, its spec has no state change), adding `note`. `'already'` when it was done.
   */
  resolve(ref: TicketReference, note: string): Promise<'resolved' | 'already'>;
  /**
   * Reopens a resolved ticket with `note` (Jira: a transition to `new`/`indeterminate`; ServiceNow:
   * state 2). `'read-only'` when the remote keeps it closed for good (ServiceNow Closed, 7): the caller
   * decides on a follow-up ticket. `'open'` when it was not resolved.
   */
  reopen(ref: TicketReference, note: string): Promise<'reopened' | 'open' | 'read-only'>;
}

/** What {@link TicketAdapter.updateFields} did: the fields it set again, and the rules it left out and why. */
export interface FieldUpdate {
  set: string[];
  skipped: { field: string; reason: string }[];
}

/** What {@link TicketAdapter.checkFields} found. */
export interface FieldCheck {
  problems: { field: string; message: string }[];
  /** Said when part of the check could not be made (e.g. the user may not read ServiceNow's dictionary). */
  unchecked?: string;
}
