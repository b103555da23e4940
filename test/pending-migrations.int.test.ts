import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import pg from 'pg';
import { PRISMA_DIR, pendingMigrations } from '@rhx/db';
import { TEST_SERVER_URL, createTestDatabase, uniqueName } from '@rhx/testing';

// A process starts without the schema engine's child only when the database is surely current.
let db: { url: string; drop: () => Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('a migrated database has nothing pending; a migration missing from its table is pending', async () => {
  expect(await pendingMigrations(db.url)).toEqual([]);
  const newest = readdirSync(`${PRISMA_DIR}/migrations`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort().at(-1)!;
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('DELETE FROM _prisma_migrations WHERE migration_name = $1', [newest]);
  await client.end();
  expect(await pendingMigrations(db.url)).toEqual([newest]);
});

test('a database that does not exist, or has no migrations table, cannot be told: the engine decides', async () => {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${uniqueName('rhx_nodb')}`;
  expect(await pendingMigrations(url.toString())).toBeNull();
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  const name = uniqueName('rhx_empty');
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    url.pathname = `/${name}`;
    expect(await pendingMigrations(url.toString())).toBeNull();
  } finally {
    await admin.query(`DROP DATABASE ${name}`);
    await admin.end();
  }
});
