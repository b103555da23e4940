import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { PRISMA_MIGRATION_LOCK_KEY, openSchemaEngine } from './schema-engine.js';
import { PRISMA_DIR } from './paths.js';

const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');
const NO_FILTERS = { externalTables: [], externalEnums: [] };

async function migrationsList() {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (path) => ({
      path,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: await readFile(join(MIGRATIONS_DIR, path, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lock = await readFile(join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: lock },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

async function datamodel() {
  const path = join(PRISMA_DIR, 'schema.prisma');
  return { path, content: await readFile(path, 'utf8') };
}

/** Creates the database named in `databaseUrl` when it does not exist yet (a fresh machine). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  await onServer(databaseUrl, async (client, name) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount !== 0) return;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`).catch((err: { code?: string }) => {
      // 42P04, or 23505 in a race on pg_database: another process created it first.
      if (err.code !== '42P04' && err.code !== '23505') throw err;
    });
  });
}

/**
 * Applies every pending migration of `prisma/migrations`, exactly as `prisma migrate deploy` would
 * (same `_prisma_migrations` bookkeeping). Safe to call from many processes at once: an advisory lock
 * (held by a transaction left open meanwhile) lets one apply while the others wait and then find nothing pending.
 * @returns the names of the migrations this call applied.
 */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const lockClient = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await lockClient.connect();
  try {
    // Prisma's own key, so `prisma migrate deploy` run by hand waits too. Transaction-scoped: a pooler in
    // transaction mode keeps this transaction on one server connection, where a session lock would stay
    // behind on a pooled connection after this process is gone.
    await lockClient.query('BEGIN');
    await lockClient.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_MIGRATION_LOCK_KEY]);
    const engine = await openSchemaEngine(databaseUrl, await datamodel());
    try {
      const out = await engine.applyMigrations({ migrationsList: await migrationsList(), filters: NO_FILTERS });
      return out.appliedMigrationNames;
    } finally {
      await engine.close();
    }
  } finally {
    await lockClient.query('COMMIT').catch(() => {});
    await lockClient.end();
  }
}

/**
 * The migrations not yet applied, read without the schema engine (one query): a process whose database
 * is current starts without the engine's child process, some 0.6 s sooner. null when that cannot be told
 * (no database or no migrations table yet, or PostgreSQL refused): the engine then decides, as always.
 */
export async function pendingMigrations(databaseUrl: string): Promise<string[] | null> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.name));
    return names.filter((n) => !applied.has(n));
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Each migration folder keeps the schema it was made from, so the next diff needs no database. */
export const SCHEMA_SNAPSHOT = 'schema.snapshot.prisma';

/**
 * The SQL that takes the newest migration's schema snapshot (or an empty database) to the current
 * `schema.prisma`. Development only. A diff against replayed migrations or a live database is not
 * used: the WebAssembly engine cannot introspect PostgreSQL 15 ("Column type 'char' …") and cannot
 * drop the shadow database it makes.
 */
export async function diffSchemaAgainstMigrations(serverUrl: string): Promise<string> {
  const model = await datamodel();
  const list = await migrationsList();
  const newest = list.migrationDirectories.at(-1);
  const snapshot = newest ? await readFile(join(MIGRATIONS_DIR, newest.path, SCHEMA_SNAPSHOT), 'utf8') : undefined;
  const engine = await openSchemaEngine(serverUrl, model);
  try {
    const result = await engine.diff({
      from: snapshot ? { tag: 'schemaDatamodel', files: [{ path: model.path, content: snapshot }] } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [model] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  } finally {
    await engine.close();
  }
}

/** Drops the database named in `databaseUrl` if it exists (tests and development tools). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  await onServer(databaseUrl, (client, name) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Runs `fn` on the server's maintenance database, with the name of the database `databaseUrl` names. */
async function onServer(databaseUrl: string, fn: (client: pg.Client, name: string) => Promise<unknown>): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await fn(client, name);
  } finally {
    await client.end();
  }
}
