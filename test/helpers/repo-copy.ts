import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inject } from 'vitest';
import { REPO_ROOT } from './paths.js';

export { REPO_ROOT };

/**
 * The fixture tree (test/setup/fixture-repo.ts): the repository generated from the tests' own
 * registry. Golden files and end-to-end runs read it, so they never depend on the live overlays.
 */
export function fixtureRoot(): string {
  return inject('fixtureRoot');
}

/**
 * A throwaway copy of the fixture tree (node_modules linked, not copied) for tests that write:
 * the fixture registry and its generated overlays, never the live ones.
 */
export function copyRepo(): { root: string; cleanup: () => void } {
  const source = fixtureRoot();
  const root = mkdtempSync(join(tmpdir(), 'thanos-ha-'));
  for (const entry of readdirSync(source)) {
    if (entry === 'node_modules' || entry === '.git') continue;
    cpSync(join(source, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * A hash of every file below root (node_modules excluded): equal before and after means nothing changed.
 * `ignore`: top-level folders left out too, such as dist/ (gitignored), which a compiled CLI run rebuilds.
 */
export function treeHash(root: string, ignore: readonly string[] = []): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === 'node_modules' || entry === '.git' || (dir === root && ignore.includes(entry))) continue;
      const path = join(dir, entry);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) hash.update(relative(root, path)).update('\0->').update(readlinkSync(path)).update('\0');
      else if (stat.isDirectory()) walk(path);
      else hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(root);
  return hash.digest('hex');
}
