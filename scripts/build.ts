// `npm run build`: the production build, one ES module bundle per process in `dist/` (esbuild).
// A bundler, not tsc: the sources import each other through the `@rhx/*` path aliases, which tsc
// leaves as they are and Node cannot resolve; bundling also ships Prisma's generated client (which
// `npm ci --omit=dev --ignore-scripts` cannot generate) and loads one file per process instead of
// several hundred, which starts faster and keeps no compiler resident. Packages from node_modules stay
// imports (the image installs the production dependencies). Type-checking stays in `npm test`.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { appPath } from '@rhx/config';
import { ENTRY_POINTS } from './build-entries.js';


await rm(appPath('dist'), { recursive: true, force: true });
const started = performance.now();
const result = await build({
  absWorkingDir: appPath(),
  entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, file]) => [name, file])),
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  tsconfig: 'tsconfig.json',
  sourcemap: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
process.stdout.write(`built ${Object.keys(ENTRY_POINTS).map((n) => `dist/${n}.js`).join(', ')} (${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB) in ${Math.round(performance.now() - started)} ms\n`);
