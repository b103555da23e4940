import { execFile } from 'node:child_process';
import { appPath, runsBuiltCode } from '@rhx/config';

// The build ships the migration script as its own bundle; the sources run it through tsx.
const COMMAND = runsBuiltCode() ? [appPath('dist/db-migrate.js')] : ['--import', 'tsx', appPath('scripts/db-migrate.ts')];

/**
 * Applies pending migrations in a child process (see scripts/db-migrate.ts for why).
 * @returns the names of the migrations the child applied.
 */
export async function migrateInChildProcess(databaseUrl: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      COMMAND,
      { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 120_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`database migration failed: ${stderr.trim() || err.message}`));
        const last = stdout.trim().split('\n').at(-1) ?? '{}';
        resolve((JSON.parse(last) as { applied?: string[] }).applied ?? []);
      },
    );
  });
}
