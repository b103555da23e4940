export { createTestDatabase, prepareTestTemplate, uniqueName, TEST_REDIS_URL, TEST_SERVER_URL } from './test-database.js';
export * from './simulators/index.js';
