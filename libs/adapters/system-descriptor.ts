import type { SystemEnv } from '@rhx/config';
import type { RiskLevel, SettingsProfile, TargetSystem, TicketIntegration } from '@rhx/domain';
import type { z } from 'zod';
import type { AdapterOptions } from './adapter-options.js';
import type { TicketAdapter, TicketStatus } from './ticket-adapter.js';

/** The analyst statuses the sync cycle may set; every other status is RhythmX's own. */
export type SyncedAnalystStatus = 'IN_PROGRESS' | 'CLOSED' | 'FALSE_POSITIVE';

/** What a read ticket state means for the incident, per the system's own table. */
export interface StatusMeaning {
  /** The incident's new analyst status, or undefined: unchanged (only the ticket state is recorded). */
  analystStatus: SyncedAnalystStatus | undefined;
  /** False for a terminal state: the ticket is no longer polled. */
  open: boolean;
}

/**
 * Everything the fleet knows about one way of serving a target system (a settings profile), in one
 * place: its settings, how they are checked and seeded, how its adapter is built, how its priorities
 * and ticket states read, and what people call it. Registered once in `systems.ts`; every other module
 * reads it from there, so a new system is its id, its folder, its config fragment and one registry line.
 */
export interface SystemDescriptor {
  profile: SettingsProfile;
  /** The target system this profile serves, and in which `TICKET_INTEGRATION`. */
  serves: TargetSystem;
  integration: TicketIntegration;
  /** What people call it: console, messages (`Jira`, `ServiceNow`, `Proactive Case API`). */
  label: string;
  /** The console's heading for its settings, which may depend on them (`Jira Cloud`, `Jira Data Center`). */
  title(values: Readonly<Record<string, string | undefined>>): string;
  /** What one of its tickets is called in history sentences (`Jira issue`, `ServiceNow incident`). */
  ticketNoun: string;
  /** The cadence gate's log label (CONTRACT §6: `SNOW cadence gate: …`). */
  gateLabel: string;
  /** The settings: shown, write-only, needed before it is configured, and where and as whom a secret is used. */
  settings: {
    visible: readonly string[];
    secret: readonly string[];
    required: readonly string[];
    /** Changing one of these needs the secret again (it would otherwise go to another URL or account). */
    identity: readonly string[];
    /** Settings holding JSON (field rules, lifecycle): stored as its text, shown and taken as JSON. */
    json: readonly string[];
    /** What the console calls each setting. */
    labels: Readonly<Record<string, string>>;
    /** Required settings that depend on others (Jira Cloud needs `email`). */
    requiredWhen?: (values: Readonly<Record<string, string | undefined>>) => readonly string[];
    /** The secrets the settings `values` sign in with (an identity change needs these again); default: all of them. */
    secretsInUse?: (values: Readonly<Record<string, string | undefined>>) => readonly string[];
    /** A secret that expires on a date the operator records (Atlassian API tokens: 1 to 365 days): the health warns ahead. */
    expires?: { field: string; secret: string; what: string };
    /** Settings that take one of a few values, each with what people call it: the console offers them as a list (the first is the default). */
    choices?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  };
  /** The settings change's body (`PUT /v1/integrations/:system`), with every rule that needs nothing stored. */
  bodySchema: z.ZodObject;
  /** The adapter's validated settings. */
  configSchema: z.ZodType;
  /** The setting that says where the remote is; `others` also hold URLs the adapter connects to (a token endpoint). */
  url: { field: string; schema: z.ZodType<string, string>; others?: readonly string[] };
  /** Its variables (CONTRACT §2): libs/config/system-env.ts. */
  env: SystemEnv;
  /** How a risk level reads as this system's priority (`Highest`, `1 Critical`). */
  priorityText(level: RiskLevel): string;
  /** Ticket states: what one means for the incident (undefined: not in the table), and how people read it. */
  sync: {
    /** `incident_history.source` of the changes the sync cycle records. */
    source: string;
    meaning(status: TicketStatus): StatusMeaning | undefined;
    label(state: string): string;
  };
  /** The fields of a create request's body that field rules set (the preview lists them): all but the bridge's own. */
  ruleFields(body: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Builds the adapter from settings already validated with {@link configSchema}. */
  createAdapter(config: never, options: AdapterOptions): TicketAdapter;
}
