// `npm run db:migrate`, and the child process every fleet process runs at start. The schema engine is
// WebAssembly that stays resident once loaded (an API with it in-process measured 277 MB, 209 MB
// without); a short-lived child keeps it out of the long-running API and workers. Prints the applied migration names as one JSON line on stdout.
import { ConfigError, loadConfig } from '@rhx/config';
import { applyMigrations } from '@rhx/db';
import { UnreachableServiceError, checkPostgres } from '@rhx/runtime';

try {
  const config = loadConfig();
  await checkPostgres(config.DATABASE_URL);
  const applied = await applyMigrations(config.DATABASE_URL);
  process.stdout.write(`${JSON.stringify({ applied })}\n`);
  // The WebAssembly engine leaves handles behind that would keep the process alive for seconds.
  process.exit(0);
} catch (err) {
  if (err instanceof ConfigError || err instanceof UnreachableServiceError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
