import { z } from 'zod';
import { jiraFieldMetaSchema, type JiraFieldMeta } from '@rhx/fields';
import type { JsonClient, JsonRequest } from '../http/index.js';
import { TicketError } from '../ticket-error.js';

// Cloud answers `issueTypes` / `fields`, Data Center `values` with `isLast` (specs/jira-rest.md, createmeta).
const page = <T extends z.ZodType>(item: T) =>
  z.object({
    issueTypes: z.array(item).optional(),
    fields: z.array(item).optional(),
    values: z.array(item).optional(),
    startAt: z.number().optional(),
    total: z.number().optional(),
    isLast: z.boolean().optional(),
  });
const issueTypeSchema = z.object({ id: z.string(), name: z.string() }).loose();
const PAGE_SIZE = 50;
// Screens change rarely; a settings change makes a new adapter, so this only bounds how stale a long-lived one gets.
const KEEP_MS = 10 * 60_000;

/**
 * The create screen of the configured project and issue type: every field Jira's create metadata lists
 * (paged), read once and kept for ten minutes.
 */
export class JiraCreateScreen {
  private cached: { at: number; fields: Promise<JiraFieldMeta[]> } | undefined;

  constructor(
    private readonly client: JsonClient,
    private readonly request: (path: string, searchParams: Record<string, string>) => JsonRequest,
    private readonly project: string,
    private readonly issueType: string,
  ) {}

  fields(now = Date.now()): Promise<JiraFieldMeta[]> {
    if (!this.cached || now - this.cached.at > KEEP_MS) {
      const fields = this.read();
      this.cached = { at: now, fields };
      fields.catch(() => (this.cached = undefined));
    }
    return this.cached.fields;
  }

  private async read(): Promise<JiraFieldMeta[]> {
    const base = `issue/createmeta/${encodeURIComponent(this.project)}/issuetypes`;
    const types = await this.all(base, issueTypeSchema, 'issueTypes');
    const type = types.find((t) => t.name === this.issueType);
    if (!type) {
      throw new TicketError({ code: 'CONFIGURATION', retryable: false, message: `issue type ${this.issueType} cannot be created in Jira project ${this.project} (its types: ${types.map((t) => t.name).join(', ')})` });
    }
    return this.all(`${base}/${encodeURIComponent(type.id)}`, jiraFieldMetaSchema, 'fields');
  }

  private async all<T extends z.ZodType>(path: string, item: T, cloudKey: 'issueTypes' | 'fields'): Promise<z.output<T>[]> {
    const out: z.output<T>[] = [];
    for (let startAt = 0; startAt < 10_000; ) {
      const answer = await this.client.send(this.request(path, { startAt: String(startAt), maxResults: String(PAGE_SIZE) }), page(item));
      const items = answer[cloudKey] ?? answer.values ?? [];
      out.push(...items);
      startAt += items.length;
      if (items.length === 0 || answer.isLast === true || (answer.total !== undefined && startAt >= answer.total)) break;
    }
    return out;
  }
}
