import { z } from 'zod';

/**
 * What happens to a system's tickets when the incident ends or comes back (CONTRACT §3). Off by default:
 * closing someone's ticket is a change an operator opts into.
 */
export const lifecycleSchema = z.strictObject({
  resolve: z.boolean().default(false),
  transition: z.string().trim().min(1).max(255).optional().describe('Jira: the transition to take by name; default: the first to a status of the done category.'),
  resolution: z.string().trim().min(1).max(255).optional().describe('Jira: the resolution to set, when the transition asks for one.'),
  closeCode: z.string().trim().min(1).max(255).optional().describe('ServiceNow: close_code when resolving (state 6).'),
  closeNotes: z.string().trim().min(1).max(4000).optional().describe('ServiceNow: close_notes when resolving.'),
  reopen: z.boolean().default(false),
  onClosed: z
    .enum(['follow-up', 'record'])
    .default('follow-up')
    .describe('A rise while the ticket is closed for good (ServiceNow state 7, read-only): make a follow-up ticket (the next generation, linked to it), or only record it.'),
});
export type Lifecycle = z.infer<typeof lifecycleSchema>;
