import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values are replaced with `[redacted]` in every log line, wherever they appear:
 * credentials by name, and HTTP authorization headers.
 */
export const REDACTED_PATHS = [
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.password',
  '*.apiToken',
  '*.secret',
  '*.token',
  'config.API_TOKEN',
  'config.BULL_BOARD_PASSWORD',
  'config.SETTINGS_ENCRYPTION_KEY',
  'config.JIRA_API_TOKEN',
  'config.SNOW_PASSWORD',
  'config.PROACTIVE_SNOW_SECRET',
];

/** The one root logger of a process. `name` is the process role (`api`, `worker`). */
export function createLogger(options: { name: string; level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

/** Fields every log line about a delivery carries (CONTRACT §6). */
export interface DeliveryLogFields {
  incidentId: string;
  system: string;
  deliveryId: string;
  attempt: number;
}

export function deliveryLogger(parent: Logger, fields: DeliveryLogFields): Logger {
  return parent.child(fields);
}
