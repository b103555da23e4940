import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * On a first local start (no `.env`, NODE_ENV not production), writes a `.env` for a single-machine
 * trial with freshly generated secrets, so `npm start` works on a new machine without putting a
 * shared default password in the repository. Production never gets here: it sets its own environment.
 */
export function ensureLocalEnvFile(path = '.env'): void {
  if (existsSync(path) || process.env.NODE_ENV === 'production') return;
  const secret = (bytes: number) => randomBytes(bytes).toString('base64url');
  const template = readFileSync(new URL('../.env.development.example', import.meta.url), 'utf8');
  const env = template
    .replace('API_TOKEN=', `API_TOKEN=${secret(24)}`)
    .replace('BULL_BOARD_PASSWORD=', `BULL_BOARD_PASSWORD=${secret(12)}`)
    .replace('SETTINGS_ENCRYPTION_KEY=', `SETTINGS_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`)
    .replace('CONSOLE_PASSWORD=', `CONSOLE_PASSWORD=${secret(12)}`)
    .replace('CONSOLE_SESSION_SECRET=', `CONSOLE_SESSION_SECRET=${secret(32)}`);
  writeFileSync(path, env, { mode: 0o600 });
  process.stdout.write(`wrote ${path} for a local trial: API token, Bull Board and console passwords and the keys are in it\n`);
}
