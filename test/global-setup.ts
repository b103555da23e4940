import { prepareTestTemplate } from '@rhx/testing';

// One migrated template database per run; each test file clones it (CREATE DATABASE … TEMPLATE),
// which takes milliseconds, so test files never see each other's rows.
export default async function globalSetup(): Promise<void> {
  await prepareTestTemplate();
}
