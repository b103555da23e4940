import type { SimulatorReply, SimulatorRequest } from './http-simulator.server.js';

/**
 * How a simulated instance is customised (specs/servicenow-table-api.md, "Fields the customer's instance
 * requires"): extra columns beside the out-of-the-box ones, a data policy making columns mandatory,
 * choice lists, users for reference look-ups, and whether the integration user may read the dictionary.
 */
export interface ServiceNowInstanceOptions {
  /** Custom columns (`u_rhythmx_risk`); out-of-the-box ones such as caller_id and subcategory always exist. */
  customColumns?: string[];
  /** A data policy: creates lacking one of these are refused with "Data Policy Exception". */
  mandatory?: string[];
  /** Choice values per column (`category`: inquiry, software, security…). */
  choices?: Record<string, string[]>;
  /** `sys_user` rows: user_name → sys_id. */
  users?: Record<string, string>;
  /** Whether `sys_dictionary` and `sys_choice` may be read; default true. */
  dictionaryReadable?: boolean;
}

/** Out-of-the-box incident columns beyond the ones the simulator models on the record itself. */
export const OOB_EXTRA_COLUMNS = ['caller_id', 'subcategory', 'cmdb_ci', 'business_service', 'contact_type', 'assigned_to', 'close_code', 'close_notes'];

const LABELS: Readonly<Record<string, string>> = {
  category: 'Category', subcategory: 'Subcategory', caller_id: 'Caller', cmdb_ci: 'Configuration item', business_service: 'Service',
  contact_type: 'Channel', assigned_to: 'Assigned to', close_code: 'Resolution code', close_notes: 'Resolution notes', short_description: 'Short description',
};
export const labelOf = (column: string) => LABELS[column] ?? column;

const DEFAULT_CHOICES: Readonly<Record<string, string[]>> = {
  category: ['inquiry', 'software', 'hardware', 'network', 'database', 'security'],
  close_code: ['Duplicate', 'Known error', 'No resolution provided', 'Resolved by caller', 'Resolved by change', 'Resolved by problem', 'Resolved by request', 'Solution provided', 'Workaround provided', 'User error'],
};

function refused(): SimulatorReply {
  return { status: 403, json: { error: { message: 'User Not Authorized', detail: 'ACL Exception Read Failed due to security constraints' }, status: 'failure' } };
}

/** The data policy's refusal of a create lacking mandatory columns, or null. */
export function dataPolicyRefusal(values: Readonly<Record<string, string>>, options: ServiceNowInstanceOptions): SimulatorReply | null {
  const missing = (options.mandatory ?? []).filter((c) => !values[c]?.trim());
  if (missing.length === 0) return null;
  const detail = `Data Policy Exception: the following fields are mandatory: ${missing.map(labelOf).join(', ')}`;
  return { status: 403, json: { error: { message: 'Operation Failed', detail }, status: 'failure' } };
}

/** `sys_dictionary`, `sys_choice` and `sys_user` reads, filtered as the encoded queries the adapters send ask. */
export function instanceTable(table: string, req: SimulatorRequest, columns: readonly string[], options: ServiceNowInstanceOptions): SimulatorReply | null {
  const query = req.query.get('sysparm_query') ?? '';
  if (table === 'sys_dictionary') {
    if (options.dictionaryReadable === false) return refused();
    const mandatory = new Set(['number', 'short_description', ...(options.mandatory ?? [])]);
    return { status: 200, json: { result: columns.map((element) => ({ element, column_label: labelOf(element), mandatory: String(mandatory.has(element)) })) } };
  }
  if (table === 'sys_choice') {
    if (options.dictionaryReadable === false) return refused();
    const wanted = /elementIN([^^]+)/.exec(query)?.[1]?.split(',');
    const all = { ...DEFAULT_CHOICES, ...(options.choices ?? {}) };
    const rows = Object.entries(all).filter(([c]) => !wanted || wanted.includes(c)).flatMap(([element, values]) => values.map((value) => ({ element, value, label: value })));
    return { status: 200, json: { result: rows } };
  }
  if (table === 'sys_user') {
    const names = [...query.matchAll(/(?:user_name|name)=([^^]+)/g)].map((m) => m[1]);
    const rows = Object.entries(options.users ?? {}).filter(([name]) => names.includes(name)).map(([name, sys_id]) => ({ sys_id, user_name: name }));
    return { status: 200, json: { result: rows } };
  }
  return null;
}

/**
 * The out-of-the-box rules of the incident lifecycle (specs/servicenow-table-api.md, "Resolve, close,
 * reopen"): a Closed (7) incident is read-only; resolving (6) needs a close code and close notes.
 */
export function lifecycleRefusal(record: { state: string; columns: Record<string, string> }, values: Readonly<Record<string, string>>): SimulatorReply | null {
  if (record.state === '7') {
    return { status: 403, json: { error: { message: 'Operation Failed', detail: 'ACL Exception Update Failed due to security constraints' }, status: 'failure' } };
  }
  if (values.state !== '6') return null;
  const missing = ['close_code', 'close_notes'].filter((c) => !(values[c] ?? record.columns[c])?.trim());
  if (missing.length === 0) return null;
  return { status: 403, json: { error: { message: 'Operation Failed', detail: `Data Policy Exception: the following fields are mandatory: ${missing.map(labelOf).join(', ')}` }, status: 'failure' } };
}
