#!/usr/bin/env node
/**
 * Compiles the CLI (generator/cli/start.ts, the entry, and what it imports, policies included) with esbuild:
 * ES modules with shared chunks, packages left as imports, JSON inlined. Each build goes to its own
 * folder dist/b-<time>-<pid>/ and dist/current names the newest, written last and atomically, so a
 * run starting while another rebuilds never sees half a build.
 * Run by `npm ci` (prepare) and by scripts/run.mjs when a source file is newer than the build.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(root, 'dist');
export const CURRENT = join(DIST, 'current');

export async function build() {
  const { build: esbuild } = await import('esbuild');
  const name = `b-${Date.now()}-${process.pid}`;
  await esbuild({
    entryPoints: { start: join(root, 'generator/cli/start.ts') },
    outdir: join(DIST, name),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const temp = join(DIST, `current.${process.pid}`);
  writeFileSync(temp, `${name}\n`);
  renameSync(temp, CURRENT);
  // Older builds go once nothing can still be starting from them.
  for (const entry of readdirSync(DIST)) {
    const path = join(DIST, entry);
    if (entry.startsWith('b-') && entry !== name && Date.now() - statSync(path).mtimeMs > 10 * 60_000) rmSync(path, { recursive: true, force: true });
  }
  return name;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(DIST, { recursive: true });
  await build();
}
