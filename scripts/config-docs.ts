// `npm run docs:config`: writes docs/configuration-reference.md from the environment schema.
import { writeFileSync } from 'node:fs';
import { appPath } from '@rhx/config';
import { configurationReference } from '../libs/config/env-docs.js';

writeFileSync(appPath('docs/configuration-reference.md'), configurationReference());
process.stdout.write('wrote docs/configuration-reference.md\n');
