// Rebuilds the migrated template database the tests clone (see test/global-setup.ts).
import { prepareTestTemplate } from '@rhx/testing';

await prepareTestTemplate();
process.exit(0);
