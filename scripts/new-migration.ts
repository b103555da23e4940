// Development tool: writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference
// between the migrations folder and schema.prisma. Usage: npm run db:migration:new -- <name>
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { diffSchemaAgainstMigrations, PRISMA_DIR, SCHEMA_SNAPSHOT } from '@rhx/db';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration:new -- <snake_case_name>');
  process.exit(2);
}
const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const sql = await diffSchemaAgainstMigrations(url);
if (sql.trim() === '' || sql.includes('This is an empty migration')) {
  console.log('schema.prisma and the migrations agree; nothing to write');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = join(PRISMA_DIR, 'migrations', `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(join(dir, 'migration.sql'), sql);
await writeFile(join(dir, SCHEMA_SNAPSHOT), await readFile(join(PRISMA_DIR, 'schema.prisma'), 'utf8'));
console.log(`wrote ${dir}/migration.sql`);
