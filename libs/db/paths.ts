import { join } from 'node:path';
import { appPath } from '@rhx/config';

/** The application's `prisma/` folder (schema and migrations), wherever the process was started, sources or build. */
export const PRISMA_DIR = join(appPath('prisma'), '/');
