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
  RISK_CHANGED: 'Risk changed',
  CADENCE_GATE: 'Cadence decision',
  EXTERNAL_SYNC: 'Status sync',
};

const SYSTEMS: Record<string, string> = { jira: 'Jira', servicenow: 'ServiceNow' };

const FIELD_LABELS: Record<string, string> = {
  baseUrl: 'Base URL', deployment: 'Deployment', email: 'Account email', apiToken: 'API token', projectKey: 'Project key',
  issueType: 'Issue type', instanceUrl: 'Instance URL', username: 'User name', password: 'Password', assignmentGroup: 'Assignment group',
  appId: 'App ID', secret: 'Secret', table: 'Table', source: 'Source', serviceIdentifier: 'Service identifier',
};

/** Functions the templates call (as `it.h`); each returns plain text, which the template then escapes. */
export const VIEW_HELPERS = {
  action: (code: string) => ACTIONS[code] ?? code,
  system: (id: string) => SYSTEMS[id] ?? id,
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
