import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** A throwaway copy of the repository (node_modules linked, not copied) for tests that write. */
export function copyRepo(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'thanos-ha-'));
  for (const entry of readdirSync(REPO_ROOT)) {
    if (entry === 'node_modules' || entry === '.git') continue;
    cpSync(join(REPO_ROOT, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A hash of every file below root (node_modules excluded): equal before and after means nothing changed. */
export function treeHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === 'node_modules' || entry === '.git') continue;
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
