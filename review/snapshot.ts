import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

/**
 * The files of `commit` (all, or only `paths`) in a temporary folder, through `git archive`: unlike a
 * worktree, nothing is recorded in the repository, so an interrupted run leaves no trace there.
 */
export function extractCommit(
  root: string,
  commit: string,
  what: string,
  paths: readonly string[] = [],
): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'thanos-ha-base-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', commit, ...(paths.length ? ['--', ...paths] : [])], {
      cwd: root,
      maxBuffer: 1024 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive, stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    cleanup();
    const detail = ((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message).trim().split('\n')[0];
    throw new UserError(`${what}: cannot read the files of ${commit.slice(0, 12)}: ${detail}`);
  }
  return { dir, cleanup };
}

/** Runs `tasks` at most `width` at a time, keeping their order in the result. */
export async function inPool<T>(tasks: ReadonlyArray<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, tasks.length)) }, worker));
  return results;
}
