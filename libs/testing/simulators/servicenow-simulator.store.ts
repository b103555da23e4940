import { randomBytes } from 'node:crypto';

/** An incident record the ServiceNow simulator holds: every value a string, plus its work-note journal. */
export interface SimulatedServiceNowIncident {
  sys_id: string;
  number: string;
  state: string;
  impact: string;
  urgency: string;
  priority: string;
  short_description: string;
  description: string;
  category: string;
  correlation_id: string;
  correlation_display: string;
  /** A `sys_user_group` sys_id, or '' when unassigned. */
  assignment_group: string;
  sys_created_on: string;
  sys_updated_on: string;
  /** Work notes in the order they were added (the field itself always reads back as ''). */
  workNotes: string[];
  /** The other columns written (caller_id, subcategory, u_…), by name. */
  columns: Record<string, string>;
}

/** A `sys_journal_field` row: one work note of one incident record. */
export interface SimulatedJournalEntry {
  sys_id: string;
  /** The table of the record (`incident`). */
  name: string;
  /** The record's sys_id. */
  element_id: string;
  /** The journal column (`work_notes`). */
  element: string;
  value: string;
  sys_created_on: string;
}

/** Fields a `sys_journal_field` query may name. */
export const JOURNAL_FIELDS: ReadonlySet<string> = new Set(['sys_id', 'name', 'element_id', 'element', 'value', 'sys_created_on']);

/** Fields a client may write; anything else in a body is ignored, as the platform does. */
export const WRITABLE_FIELDS = new Set([
  'short_description', 'description', 'impact', 'urgency', 'category', 'correlation_id',
  'correlation_display', 'assignment_group', 'state', 'work_notes',
]);

/** Fields a query may name. */
export const INCIDENT_FIELDS: ReadonlySet<string> = new Set([
  'sys_id', 'number', 'state', 'impact', 'urgency', 'priority', 'short_description', 'description', 'category',
  'correlation_id', 'correlation_display', 'assignment_group', 'sys_created_on', 'sys_updated_on', 'work_notes',
]);

// The out-of-the-box priority lookup: impact × urgency → priority (3 × 3 is 5 Planning).
const PRIORITY_LOOKUP: Record<string, Record<string, string>> = {
  '1': { '1': '1', '2': '2', '3': '3' },
  '2': { '1': '2', '2': '3', '3': '4' },
  '3': { '1': '3', '2': '4', '3': '5' },
};

/** The priority the instance computes from impact and urgency. */
export function computePriority(impact: string, urgency: string): string {
  return PRIORITY_LOOKUP[impact]?.[urgency] ?? '5';
}

/** Platform timestamps: `YYYY-MM-DD HH:mm:ss` in UTC. */
function glideNow(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

/** In-memory incident table; numbers count from INC0010001. */
export class ServiceNowStore {
  readonly records: SimulatedServiceNowIncident[] = [];
  private readonly extraColumns: ReadonlySet<string>;

  /** `extraColumns`: the instance's columns beyond the modelled ones; a write to any other column is silently dropped. */
  constructor(extraColumns: readonly string[] = []) {
    this.extraColumns = new Set(extraColumns);
  }

  /** Every column of the incident table, as its dictionary lists them. */
  columns(): string[] {
    return [...INCIDENT_FIELDS, ...this.extraColumns].filter((c) => c !== 'work_notes');
  }

  /** Every work note, in the order added, as `sys_journal_field` holds them. */
  readonly journal: SimulatedJournalEntry[] = [];
  private nextNumber = 10001;

  create(values: Record<string, string>): SimulatedServiceNowIncident {
    const now = glideNow();
    const record: SimulatedServiceNowIncident = {
      sys_id: randomBytes(16).toString('hex'),
      number: `INC${String(this.nextNumber++).padStart(7, '0')}`,
      state: '1', impact: '3', urgency: '3', priority: '5', short_description: '', description: '', category: 'inquiry',
      correlation_id: '', correlation_display: '', assignment_group: '', sys_created_on: now, sys_updated_on: now, workNotes: [], columns: {},
    };
    this.update(record, values);
    this.records.push(record);
    return record;
  }

  update(record: SimulatedServiceNowIncident, values: Record<string, string>): void {
    for (const [field, value] of Object.entries(values)) {
      if (field === 'work_notes') {
        if (value !== '') this.addWorkNote(record, value);
      } else if (WRITABLE_FIELDS.has(field)) {
        (record as unknown as Record<string, string>)[field] = value;
      } else if (this.extraColumns.has(field)) {
        record.columns[field] = value;
      }
    }
    record.priority = computePriority(record.impact, record.urgency);
    record.sys_updated_on = glideNow();
  }

  private addWorkNote(record: SimulatedServiceNowIncident, value: string): void {
    record.workNotes.push(value);
    const entry = { sys_id: randomBytes(16).toString('hex'), name: 'incident', element_id: record.sys_id, element: 'work_notes' };
    this.journal.push({ ...entry, value, sys_created_on: glideNow() });
  }

  find(sysId: string): SimulatedServiceNowIncident | undefined {
    return this.records.find((r) => r.sys_id === sysId);
  }
}
