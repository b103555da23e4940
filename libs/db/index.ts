export { applyMigrations, ensureDatabase, dropDatabase, diffSchemaAgainstMigrations, SCHEMA_SNAPSHOT } from './migrate.js';
export { PRISMA_DIR } from './paths.js';
