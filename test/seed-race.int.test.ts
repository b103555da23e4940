import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { parseConfig } from '@rhx/config';
import { createPrismaClient, poolOf, type PrismaClient } from '@rhx/db';
import { IntegrationSettingsStore, seedAutoPush } from '@rhx/settings';
import { createTestDatabase } from '@rhx/testing';

// Processes of a fleet start at the same moment (compose, a Deployment's replicas, two bench workers):
// each seeds the settings from its environment, and none may die of the other's insert.
let db: { url: string; drop: () => Promise<void> };
let prisma: PrismaClient;
beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});
afterAll(async () => {
  await poolOf(prisma).end();
  await db.drop();
});

test('eight processes seeding a fresh database at once: no failure, one row each', async () => {
  const config = parseConfig({
    NODE_ENV: 'test', AUTO_PUSH_ENABLED: 'true', AUTO_PUSH_TARGETS: 'jira', JIRA_ENABLED: 'true', JIRA_URL: 'https://acme.atlassian.net',
    JIRA_EMAIL: 'bot@acme.example', JIRA_API_TOKEN: 'seed-race-token', JIRA_PROJECT_KEY: 'SEC', SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
  });
  await poolOf(prisma).query('DELETE FROM auto_push_settings');
  const stores = Array.from({ length: 8 }, () => new IntegrationSettingsStore(prisma, config.SETTINGS_ENCRYPTION_KEY));
  await expect(Promise.all(stores.map(async (s) => {
    await seedAutoPush(prisma, config);
    await s.seed(config);
  }))).resolves.toBeDefined();
  expect(await prisma.autoPushSettings.count()).toBe(1);
  expect((await prisma.integrationSettings.findMany({ where: { system: 'jira' } })).length).toBe(1);
});
