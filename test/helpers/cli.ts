import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-copy.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI in a child process (as `npm run <command>` would), against `root`. */
export function runCliProcess(args: string[], options: { root?: string; env?: Record<string, string>; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(options.root ?? REPO_ROOT, 'cli/main.ts'), ...args], {
    cwd: options.root ?? REPO_ROOT,
    env: { ...process.env, ...(options.root ? { THANOS_HA_ROOT: options.root } : {}), ...options.env, FORCE_COLOR: '0' },
    encoding: 'utf8',
    input: options.input,
    timeout: 120_000,
    // Reports can be large (the pipe test reads several MiB); the default 1 MiB would cut them.
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
