import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/db-migrate.ts', import.meta.url));

/**
 * Applies pending migrations in a child process (see scripts/db-migrate.ts for why).
 * @returns the names of the migrations the child applied.
 */
export async function migrateInChildProcess(databaseUrl: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', SCRIPT],
      { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 120_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`database migration failed: ${stderr.trim() || err.message}`));
        const last = stdout.trim().split('\n').at(-1) ?? '{}';
        resolve((JSON.parse(last) as { applied?: string[] }).applied ?? []);
      },
    );
  });
}
