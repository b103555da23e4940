import { z } from 'zod';
import { buildServiceNowColumns, checkServiceNowRules, type DictionaryColumn, type FieldRule, type ReferenceLookup, type TemplateContext } from '@rhx/fields';
import type { JsonClient, JsonRequest } from '../http/index.js';
import { TicketError } from '../ticket-error.js';
import type { FieldCheck } from '../ticket-adapter.js';

const refListSchema = z.object({ result: z.array(z.object({ sys_id: z.string() }).loose()) });
const dictionarySchema = z.object({
  result: z.array(z.object({ element: z.string(), column_label: z.string().optional(), mandatory: z.union([z.string(), z.boolean()]).optional() }).loose()),
});
const choiceSchema = z.object({ result: z.array(z.object({ element: z.string().optional(), value: z.string() }).loose()) });

// Each reference table's look-up by display value (`^` is the encoded query's separator: `^^` is a literal one).
const DISPLAY_QUERY: Readonly<Record<string, (v: string) => string>> = {
  sys_user: (v) => `user_name=${v}^ORname=${v}`,
};
const escaped = (v: string) => v.replaceAll('^', '^^');

/**
 * ServiceNow's side of the field rules: the columns for a create (references given by display value
 * resolved to sys_ids once each), and the check against `sys_dictionary` and `sys_choice` where the
 * integration user may read them.
 */
export class ServiceNowFieldRules {
  private readonly sysIds = new Map<string, Promise<string>>();

  constructor(
    private readonly client: JsonClient,
    private readonly get: (table: string, searchParams: Record<string, string>) => JsonRequest,
    private readonly rules: readonly FieldRule[],
  ) {}

  /** The rules' columns for this incident; a rule that cannot be applied fails the push permanently, naming it. */
  async columns(context: TemplateContext): Promise<Record<string, string>> {
    const built = buildServiceNowColumns(this.rules, context);
    if (built.problems.length > 0) throw rulesRefused(built.problems.map((p) => p.message));
    const resolved = await Promise.all(built.lookups.map(async (l) => [l.column, await this.sysIdOf(l)] as const));
    return { ...built.columns, ...Object.fromEntries(resolved) };
  }

  async check(setByBridge: readonly string[]): Promise<FieldCheck> {
    const dictionary = await this.dictionary();
    const choiceColumns = this.rules.map((r) => r.field);
    const choices = dictionary && choiceColumns.length ? await this.choices(choiceColumns) : new Map<string, string[]>();
    return checkServiceNowRules(this.rules, dictionary, choices, setByBridge);
  }

  private sysIdOf(lookup: ReferenceLookup): Promise<string> {
    const key = `${lookup.table}\u0000${lookup.display}`;
    let found = this.sysIds.get(key);
    if (!found) {
      const query = (DISPLAY_QUERY[lookup.table] ?? ((v: string) => `name=${v}`))(escaped(lookup.display));
      found = this.client.send(this.get(lookup.table, { sysparm_query: query, sysparm_fields: 'sys_id', sysparm_limit: '1' }), refListSchema).then((answer) => {
        const row = answer.result[0];
        if (!row) throw rulesRefused([`${lookup.column}: "${lookup.display}" was not found in ${lookup.table}`]);
        return row.sys_id;
      });
      this.sysIds.set(key, found);
      found.catch(() => this.sysIds.delete(key));
    }
    return found;
  }

  // Null when the integration user may not read the dictionary (401/403): the check says what it could not do.
  private async dictionary(): Promise<DictionaryColumn[] | null> {
    const query = { sysparm_query: 'name=incident^elementISNOTEMPTY', sysparm_fields: 'element,column_label,mandatory', sysparm_limit: '1000' };
    const answer = await this.client.send(this.get('sys_dictionary', query), dictionarySchema).catch(refusedAsNull);
    if (!answer) return null;
    return answer.result.map((r) => ({ element: r.element, mandatory: r.mandatory === true || r.mandatory === 'true', ...(r.column_label ? { label: r.column_label } : {}) }));
  }

  private async choices(columns: readonly string[]): Promise<Map<string, string[]>> {
    const query = { sysparm_query: `name=incident^elementIN${columns.map(escaped).join(',')}^inactive=false`, sysparm_fields: 'element,value', sysparm_limit: '1000' };
    const answer = await this.client.send(this.get('sys_choice', query), choiceSchema).catch(refusedAsNull);
    const out = new Map<string, string[]>();
    for (const row of answer?.result ?? []) if (row.element) out.set(row.element, [...(out.get(row.element) ?? []), row.value]);
    return out;
  }
}

function refusedAsNull(err: unknown): null {
  if (err instanceof TicketError && (err.httpStatus === 401 || err.httpStatus === 403)) return null;
  throw err;
}

function rulesRefused(problems: string[]): TicketError {
  return new TicketError({ code: 'CONFIGURATION', retryable: false, message: `ServiceNow field rules cannot be applied: ${problems.join('; ')}` });
}
