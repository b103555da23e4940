import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

// Prisma's CLI downloads a native schema engine at first use, which this project cannot rely on
// (no internet on the build machines). The same engine ships compiled to WebAssembly on npm; Node 20
// cannot import `.wasm` directly, so it is instantiated by hand (see notes/ENVIRONMENT.md).
const require = createRequire(import.meta.url);

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
};

let loaded: Promise<{ SchemaEngine: { new: (o: unknown, cb: unknown, a: object) => Promise<Engine> } }> | undefined;

async function loadWasm() {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  // The package does not export its .wasm file; it sits beside the JS glue.
  const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  const bytes = await readFile(wasmPath);
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg as never });
  const exports = instance.exports as Record<string, unknown> & { __wbindgen_start: () => void };
  (bg as unknown as { __wbg_set_wasm: (e: unknown) => void }).__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  return bg as never;
}

/** The key of the advisory lock Prisma's schema engine takes before it migrates (its own constant). */
export const PRISMA_MIGRATION_LOCK_KEY = 72_707_369;
const ENGINE_LOCK_SQL = `SELECT pg_advisory_lock(${PRISMA_MIGRATION_LOCK_KEY})`;

/**
 * The engine takes its lock for the life of a session and never releases it: behind a pooler in
 * transaction mode that session is a pooled server connection, which would keep the lock after the
 * engine is gone and make the next migration (another process, the next release) time out. The caller
 * of `applyMigrations` holds the same key in a transaction of its own instead (migrate.ts), and the
 * engine's statement is answered without taking anything.
 */
class EngineClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string' && text.trim() === ENGINE_LOCK_SQL) args[0] = typeof config === 'string' ? 'SELECT 1' : { ...(config as object), text: 'SELECT 1' };
    return (pg.Client.prototype.query as (...a: unknown[]) => never).apply(this, args);
  }
}

/**
 * Opens Prisma's schema engine on `databaseUrl`. `close()` frees the engine and ends its connection
 * pool. The engine takes no lock of its own (see EngineClient): whoever applies migrations holds
 * PRISMA_MIGRATION_LOCK_KEY meanwhile.
 */
export async function openSchemaEngine(
  databaseUrl: string,
  datamodel: { path: string; content: string },
): Promise<Engine & { close: () => Promise<void> }> {
  loaded ??= loadWasm();
  const { SchemaEngine } = await loaded;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, Client: EngineClient });
  const engine = await SchemaEngine.new(
    { datamodels: [[datamodel.path, datamodel.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool)),
  );
  return Object.assign(engine, {
    close: async () => {
      engine.free();
      await pool.end();
    },
  });
}
