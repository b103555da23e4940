import { z } from 'zod';

/** Target systems a ticket can be made in. Persisted in the database: never rename one. */
export const TARGET_SYSTEMS = ['jira', 'servicenow'] as const;
export const targetSystemSchema = z.enum(TARGET_SYSTEMS);
export type TargetSystem = z.infer<typeof targetSystemSchema>;
