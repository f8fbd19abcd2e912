#!/usr/bin/env node
/**
 * Renovate's JSON schema for the configuration (renovate-schema.json), which the `renovate` npm
 * package ships at its root. Renovate itself needs a newer Node.js than this project (its engines
 * say ^24.11) and hundreds of packages, so it is not a dependency: this takes the one file from
 * the package's tarball (`npm pack`, the ordinary npm client) into node_modules/.cache once.
 * `.ci/tools` runs it; test/renovate.test.ts validates renovate.json against the schema.
 * Usage: node scripts/fetch-renovate-schema.mjs (prints the schema's path)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The Renovate release whose schema renovate.json is validated against. */
export const RENOVATE_VERSION = '44.121.2';
export const SCHEMA_PATH = join(root, 'node_modules', '.cache', 'renovate-schema', RENOVATE_VERSION, 'renovate-schema.json');

export function fetchRenovateSchema() {
  if (existsSync(SCHEMA_PATH)) return SCHEMA_PATH;
  const temp = mkdtempSync(join(tmpdir(), 'renovate-schema-'));
  try {
    execFileSync('npm', ['pack', `renovate@${RENOVATE_VERSION}`, '--pack-destination', temp, '--silent'], {
      cwd: temp,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const tarball = readdirSync(temp).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack renovate@${RENOVATE_VERSION} wrote no tarball`);
    execFileSync('tar', ['-xzf', join(temp, tarball), '-C', temp, 'package/renovate-schema.json']);
    mkdirSync(dirname(SCHEMA_PATH), { recursive: true });
    renameSync(join(temp, 'package', 'renovate-schema.json'), SCHEMA_PATH);
    return SCHEMA_PATH;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(fetchRenovateSchema());
  } catch (error) {
    console.error(
      `Renovate's schema (renovate@${RENOVATE_VERSION}, renovate-schema.json) could not be fetched with npm pack: ${error.stderr?.toString().trim() || error.message}. test/renovate.test.ts needs it; run this again where the npm registry is reachable.`,
    );
    process.exit(1);
  }
}
