import { execFileSync } from 'node:child_process';
import { UserError } from '../core/errors.js';

/** Runs git in `root`; a failure becomes a UserError that quotes git's own message. */
export function git(root: string, args: string[], what: string): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new UserError(`${what}: git was not found on PATH; install git (apt-get install -y git).`);
    const detail = (err.stderr ?? err.message).trim().split('\n')[0];
    throw new UserError(`${what}: ${detail}`);
  }
}

/** Fails with exit 2 unless `root` is a git work tree and `ref` names a commit in it. */
export function resolveRef(root: string, ref: string, what: string): string {
  if (ref.startsWith('-')) throw new UserError(`${what}: '${ref}' is not a git ref (it starts with '-').`);
  try {
    execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, stdio: 'pipe' });
  } catch {
    throw new UserError(
      `${what}: ${root} is not a git repository; run it in a clone of the scaffold (git history is needed to compare against '${ref}').`,
    );
  }
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
    }).trim();
  } catch {
    throw new UserError(
      `${what}: '${ref}' is not a commit in this repository; give a branch, tag or commit (for a pull request: origin/main), and fetch it first if it is remote.`,
    );
  }
}

/** Paths that differ between `ref` and the working tree, committed or not, plus untracked files. */
export function changedPaths(root: string, ref: string, what: string): string[] {
  const commit = resolveRef(root, ref, what);
  const tracked = git(root, ['diff', '--name-only', '--no-renames', commit, '--'], what);
  const untracked = git(root, ['ls-files', '--others', '--exclude-standard'], what);
  return [...new Set([...tracked.split('\n'), ...untracked.split('\n')].filter(Boolean))].sort();
}
