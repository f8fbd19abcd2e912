import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: $THANOS_HA_ROOT when set (tests run the CLI against temporary copies),
 * else the folder above generator/.
 */
export function repoRoot(): string {
  if (process.env.THANOS_HA_ROOT) return resolve(process.env.THANOS_HA_ROOT);
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

export function inRepo(...parts: string[]): string {
  return join(repoRoot(), ...parts);
}

export function exists(...parts: string[]): boolean {
  return existsSync(inRepo(...parts));
}
