/** Formatting of numbers, dates and durations for ticket text: fixed, locale-free, UTC. */

/** `5000` → `"5,000"`. */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A fraction 0–1 as a whole percentage: `0.88` → `"88%"`. */
export function formatFraction(value: number): string {
  return `${Math.round(value * 100)}%`;
}

/** A percentage that may have decimals: `28` → `"28%"`, `12.345` → `"12.3%"`. */
export function formatPercent(value: number): string {
  return `${Math.round(value * 10) / 10}%`;
}

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$/;

/** An ISO-8601 date-time as `2026-11-21 17:01 UTC`. */
export function formatDateTime(iso: string): string {
  // Most timestamps arrive in UTC already; slicing them avoids a Date round trip per rule.
  if (UTC_ISO.test(iso)) return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** Whole minutes as `1d 2h 5m`, `4h 58m`, `4h`, `45m` or `0m` (zero parts left out). */
export function formatDuration(totalMinutes: number): string {
  const minutes = Math.max(0, Math.round(totalMinutes));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}d`);
  if (hours > 0) parts.push(`${hours}h`);
  if (rest > 0) parts.push(`${rest}m`);
  return parts.length > 0 ? parts.join(' ') : '0m';
}

/** Minutes between two ISO-8601 date-times. */
export function minutesBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 60_000;
}

/** `74 → 91 (↑ +17)`, `80 → 62 (↓ −18)`, `50 → 50 (→ 0)`. */
export function formatTrend(previous: number, current: number): string {
  const delta = current - previous;
  if (delta > 0) return `${previous} → ${current} (↑ +${delta})`;
  if (delta < 0) return `${previous} → ${current} (↓ −${-delta})`;
  return `${previous} → ${current} (→ 0)`;
}

const SLA_STATUS: Record<string, string> = {
  ON_TRACK: 'On track',
  AT_RISK: 'At risk',
  BREACHED: 'Breached',
  MET: 'Met',
};

/** `ON_TRACK` → `On track`. */
export function formatSlaStatus(status: string): string {
  return SLA_STATUS[status] ?? status;
}

/** An ISO-8601 date-time to the second, for single events: `2026-11-21 17:48:17 UTC`. */
export function formatEventTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 19)} UTC`;
}

/** `91 / 100 CRITICAL, previous 74 (↑ +17)`; without a previous score, `91 / 100 CRITICAL`. */
export function formatScoreWithTrend(score: number, level: string, previous?: number): string {
  const now = `${score} / 100 ${level}`;
  if (previous === undefined) return now;
  const delta = score - previous;
  const trend = delta > 0 ? `↑ +${delta}` : delta < 0 ? `↓ −${-delta}` : '→ 0';
  return `${now}, previous ${previous} (${trend})`;
}
