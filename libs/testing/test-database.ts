import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, dropDatabase } from '@rhx/db';

/** The PostgreSQL server tests run against (trust auth on this machine; see notes/ENVIRONMENT.md). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Overridable so that two checkouts on one server can run their tests at the same time.
const TEMPLATE = process.env.TEST_TEMPLATE_DATABASE ?? 'rhx_test_template';

function urlFor(database: string): string {
  return `${TEST_SERVER_URL}/${database}`;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Rebuilds the migrated template database that every test database is cloned from; `template` names
 * another one (the bench makes its own, so it never disturbs a test run). Returns the template's URL.
 */
export async function prepareTestTemplate(template = TEMPLATE): Promise<string> {
  await dropDatabase(urlFor(template));
  await applyMigrations(urlFor(template));
  return urlFor(template);
}

/** A short random name for per-test-file resources (databases, BullMQ prefixes). */
export function uniqueName(stem: string): string {
  return `${stem}_${randomBytes(5).toString('hex')}`;
}

/** A fresh, migrated database of its own, cloned from `template`; `drop()` removes it. */
export async function createTestDatabase(template = TEMPLATE): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName('rhx_t');
  // Cloning needs the template to have no other sessions; retry briefly if another file is cloning too.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const url = urlFor(name);
  return { url, drop: () => dropDatabase(url) };
}
