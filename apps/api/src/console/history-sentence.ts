import { SYSTEMS } from '@rhx/adapters';
import { targetSystemSchema } from '@rhx/domain';

// The incident's history as sentences an analyst reads (issue 18), from each row's recorded values; the
// values themselves stay one click away. An action without a sentence here shows its own message.

type Row = { action: string; message: string | null; oldValue: unknown; newValue: unknown; operator?: { kind: string; name: string } | null };
type Values = Record<string, unknown>;

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const systemName = (v: unknown) => {
  const system = targetSystemSchema.safeParse(v);
  return system.success ? SYSTEMS[system.data].label : text(v);
};

const GATE_REASONS: Record<string, string> = {
  'first-push': 'the first update of this ticket',
  'p1-escalation': 'an escalation to CRITICAL goes at once',
  reopen: 'the ticket was reopened',
  'within-cadence': 'within the update cadence of the last push',
  'level-unchanged': 'the level the ticket carries did not change',
};

function gateReason(reason: string): string {
  const elapsed = /^cadence-elapsed-(\d+)h$/.exec(reason);
  return elapsed ? `${elapsed[1]} h since the last push, past the cadence` : (GATE_REASONS[reason] ?? reason);
}

const SENTENCES: Record<string, (n: Values, o: Values) => unknown> = {
  TICKET_CREATED: (n) => n.externalId && `${systemName(n.system)} ticket ${text(n.externalId)} created${n.priority ? ` at priority ${text(n.priority)}` : ''}${n.level ? ` (${text(n.level)})` : ''}`,
  TICKET_ADOPTED: (n) => n.externalId && `${systemName(n.system)} ticket ${text(n.externalId)} found and adopted (an earlier attempt had made it)`,
  CADENCE_GATE: (n) => n.externalId && (n.push
    ? `Cadence gate sent the ${text(n.level)} update to ${systemName(n.system)} ticket ${text(n.externalId)}: ${gateReason(text(n.reason))}`
    : `Cadence gate skipped the update of ${systemName(n.system)} ticket ${text(n.externalId)}: ${gateReason(text(n.reason))}`),
  RISK_CHANGED: (n, o) => n.score !== undefined && `Risk score ${o.score !== undefined ? `${text(o.score)} → ` : ''}${text(n.score)}${n.level ? ` (${text(n.level)})` : ''}${n.reason ? `: ${text(n.reason)}` : ''}`,
  ANALYST_STATUS: (n, o) => n.analystStatus && `Analyst status ${o.analystStatus ? `${text(o.analystStatus)} → ` : ''}${text(n.analystStatus)}${n.note ? `, noting “${text(n.note)}”` : ''}`,
  DELIVERY_REDRIVEN: (n, o) => n.system && `${systemName(n.system)} ${text(n.kind)} delivery re-driven${o.status ? ` (it was ${text(o.status)})` : ''}`,
  PUSH_REQUESTED: (n) => n.system && `${systemName(n.system)} ticket requested`,
};

/** The row as one sentence, who did it appended by the view; the row's message when no sentence fits. */
export function historySentence(row: Row): string {
  const values = (v: unknown): Values => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Values) : {});
  const made = SENTENCES[row.action]?.(values(row.newValue), values(row.oldValue));
  return (typeof made === 'string' && made) || row.message || row.action;
}
