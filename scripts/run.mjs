#!/usr/bin/env node
/**
 * Starts the CLI from JavaScript compiled ahead (dist/, built at `npm ci` by the prepare script),
 * so no TypeScript is transpiled at every start. The build is redone here, in a fraction of a
 * second, whenever a source file is newer than it (new-overlay edits the registry, you edit a rule).
 * Usage: node scripts/run.mjs <command> [args...]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CURRENT = join(root, 'dist', 'current');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

let build = existsSync(CURRENT) ? readFileSync(CURRENT, 'utf8').trim() : undefined;
const sources = Math.max(
  ...['cli', 'core', 'generator', 'policies', 'review', 'settings'].map((dir) => newestSource(join(root, dir))),
  statSync(join(root, 'package.json')).mtimeMs,
);
if (!build || !existsSync(join(root, 'dist', build, 'start.js')) || statSync(CURRENT).mtimeMs < sources) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const { build: compile } = await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href);
  build = await compile();
}
process.env.THANOS_HA_ROOT ??= root;
const { start } = await import(pathToFileURL(join(root, 'dist', build, 'start.js')).href);
await start(process.argv.slice(2));
