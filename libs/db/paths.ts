import { fileURLToPath } from 'node:url';

/** The repository's `prisma/` folder (schema and migrations), wherever the process was started. */
export const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));
