import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The application's root: the nearest directory above this module holding `package.json`. From the
 * sources that is the checkout; from the build (`dist/*.js`, one bundle per process) it is the folder
 * `dist/` sits in, as in the image (`/app`). Files read at run time (migrations, console views and
 * assets) are addressed from it by their path in the repository, so they need no second layout.
 */
export function appRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}: cannot find the application's files`);
    dir = up;
  }
  return (root = dir);
}

/** A path under the application's root, given as in the repository (`prisma/migrations`). */
export function appPath(...parts: string[]): string {
  return join(appRoot(), ...parts);
}

/**
 * Whether this process runs the build (`node dist/…js`) rather than the TypeScript sources through
 * `tsx`: the bundle's modules all share the bundle's own URL, which ends in `.js`.
 */
export function runsBuiltCode(): boolean {
  return import.meta.url.endsWith('.js');
}
