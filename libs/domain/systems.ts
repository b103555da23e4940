import { z } from 'zod';

/** Target systems a ticket can be made in. Persisted in the database: never rename one. */
export const TARGET_SYSTEMS = ['jira', 'servicenow'] as const;
export const targetSystemSchema = z.enum(TARGET_SYSTEMS);
export type TargetSystem = z.infer<typeof targetSystemSchema>;

/** `TICKET_INTEGRATION`: which API serves a target system that has more than one (`servicenow`). */
export const TICKET_INTEGRATIONS = ['standard', 'proactive'] as const;
export type TicketIntegration = (typeof TICKET_INTEGRATIONS)[number];

/**
 * A settings profile: one way of serving a target system, with its own settings row, adapter and
 * descriptor (`libs/adapters/<profile>/<profile>.system.ts`). Every target system is the profile that
 * serves it in the `standard` integration; `proactive` is the MSSP's Proactive Case API, which serves
 * `servicenow` when `TICKET_INTEGRATION=proactive`. Persisted (settings rows): never rename one.
 */
export const SETTINGS_PROFILES = [...TARGET_SYSTEMS, 'proactive'] as const;
export type SettingsProfile = (typeof SETTINGS_PROFILES)[number];
