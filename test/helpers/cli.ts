import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-copy.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A test-only entry: the CLI whose writer sends the process SIGTERM once every file is written. */
export const SIGNAL_AFTER_WRITE_ENTRY = 'test/helpers/cli-signal-after-write.ts';

/**
 * Runs the real CLI in a child process (as `npm run <command>` would), against `root`; `entry`, a
 * path below the root, starts it another way (a test-only entry that passes write hooks).
 */
export function runCliProcess(
  args: string[],
  options: { root?: string; env?: Record<string, string>; input?: string; entry?: string } = {},
): CliResult {
  const entry = join(options.root ?? REPO_ROOT, options.entry ?? 'cli/main.ts');
  const result = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
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
