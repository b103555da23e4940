import { SYSTEMS } from '@rhx/adapters';
import { targetSystemSchema, type TargetSystem } from '@rhx/domain';
import { historySentence } from './history-sentence.js';

const isTargetSystem = (id: string): id is TargetSystem => targetSystemSchema.safeParse(id).success;

/** Words for the history's actions (persisted codes); an action not listed shows as its code. */
const ACTIONS: Record<string, string> = {
  CREATED: 'Incident received',
  AUTO_PUSH: 'Auto-push decision',
  TICKET_CREATED: 'Ticket created',
  TICKET_ADOPTED: 'Existing ticket adopted',
  TICKET_FAILED: 'Ticket delivery failed',
  TICKET_SKIPPED: 'Ticket delivery skipped',
  TICKET_DUPLICATE: 'Duplicate ticket detected',
  TICKET_VANISHED: 'Ticket vanished from the remote',
  DELIVERY_REDRIVEN: 'Delivery re-driven',
  PUSH_REQUESTED: 'Ticket requested',
  RISK_CHANGED: 'Risk changed',
  CADENCE_GATE: 'Cadence decision',
  EXTERNAL_SYNC: 'Status sync',
  ANALYST_STATUS: 'Analyst status',
};

// Each target system's name, and each setting's label, from the systems' descriptors.
const FIELD_LABELS: Readonly<Record<string, string>> = Object.assign({}, ...Object.values(SYSTEMS).map((d) => d.settings.labels));

const AUDIT_ACTIONS: Record<string, string> = {
  SETTINGS_SAVED: 'Settings saved',
  CONNECTION_TESTED: 'Connection tested',
  AUTO_PUSH_SAVED: 'Auto-push changed',
  TICKET_REQUESTED: 'Ticket requested',
  DELIVERY_REDRIVEN: 'Delivery re-driven',
  ANALYST_STATUS_SET: 'Analyst status set',
};

/** An audit event's details as a sentence (the rows hold names and outcomes, never a secret's value). */
function auditDetails(e: { action: string; target: string | null; details: unknown }): string {
  const d = (e.details ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  switch (e.action) {
    case 'SETTINGS_SAVED': {
      const changed = list(d.changed).map((k) => (k === 'enabled' ? 'enabled' : (FIELD_LABELS[k] ?? k)));
      return d.created ? 'first saved' : changed.length ? `changed ${changed.join(', ')}` : 'saved without a change';
    }
    case 'CONNECTION_TESTED':
      return `${d.ok ? 'passed' : 'failed'} in ${String(d.latencyMs ?? '?')} ms${Number(d.problems) > 0 ? `, ${String(d.problems)} field rule problem(s)` : ''}`;
    case 'AUTO_PUSH_SAVED': {
      const to = (d.to ?? {}) as { enabled?: boolean; minSeverity?: string; targets?: string[] };
      return to.enabled ? `on: ${to.minSeverity ?? '?'} and above to ${list(to.targets).map((t) => VIEW_HELPERS.system(t)).join(', ') || 'no system'}` : 'turned off';
    }
    case 'TICKET_REQUESTED':
      return `a ${VIEW_HELPERS.system(String(d.system))} ticket`;
    case 'DELIVERY_REDRIVEN':
      return `the ${VIEW_HELPERS.system(String(d.system))} ${String(d.kind ?? '')} delivery, ${String(d.status ?? '').toLowerCase()} after ${String(d.attempts ?? '?')} attempt(s)`;
    case 'ANALYST_STATUS_SET':
      return `${String(d.from)} → ${String(d.to)}${d.note ? ', with a note' : ''}`;
    default:
      return JSON.stringify(d);
  }
}

/** Functions the templates call (as `it.h`); each returns plain text, which the template then escapes. */
export const VIEW_HELPERS = {
  action: (code: string) => ACTIONS[code] ?? code,
  auditAction: (code: string) => AUDIT_ACTIONS[code] ?? code,
  /** Four bars, as many filled as the level is high: MEDIUM and LOW differ in shape, not only in colour or weight. */
  meter: (level: string) => ({ CRITICAL: '▮▮▮▮', HIGH: '▮▮▮▯', MEDIUM: '▮▮▯▯', LOW: '▮▯▯▯' } as Record<string, string>)[level] ?? '▯▯▯▯',
  auditDetails,
  sentence: historySentence,
  system: (id: string) => (isTargetSystem(id) ? SYSTEMS[id].label : id),
  fieldLabel: (name: string) => FIELD_LABELS[name] ?? name,
  /** `2026-11-20 22:25:03 UTC`: one unambiguous form everywhere (operators span time zones). */
  time: (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—'),
  /** Only http(s) links are ever rendered as links; anything else shows as text. */
  safeUrl: (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : undefined),
  json: (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value)),
  /** A query string from the values given, the empty ones left out. */
  query: (values: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1]))).toString();
    return q ? `?${q}` : '';
  },
};
