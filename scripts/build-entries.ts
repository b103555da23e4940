/**
 * Each process of the image and the source it is built from: `node dist/<name>.js` runs it. PERSISTED:
 * the Dockerfile, docker-compose.yml and deploy/kubernetes name these files (their tests check it).
 */
export const ENTRY_POINTS = {
  api: 'apps/api/src/main.ts',
  worker: 'apps/worker/src/main.ts',
  'db-migrate': 'scripts/db-migrate.ts',
  healthcheck: 'scripts/healthcheck.ts',
} as const;
