import { expect, vi } from 'vitest';
import { treeHash } from '../helpers/repo-copy.js';
import { runCli } from '../../cli/main.js';
import type { WriteHooks } from '../../generator/write/writer.js';

/**
 * Runs the CLI in this process against `root` (fast: no tsx start-up), capturing its output;
 * `writeHooks` reach the writer (to fail a write halfway).
 */
export async function runInProcess(
  root: string,
  args: string[],
  writeHooks?: WriteHooks,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { THANOS_HA_ROOT: root });
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void (stdout += `${parts.join(' ')}\n`));
  const err = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void (stderr += `${parts.join(' ')}\n`));
  try {
    const code = await runCli(args, { writeHooks });
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    log.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** A command that must refuse: the message on stderr, exit 2, and the tree exactly as `baseline` hashed it. */
export async function expectRefusal(root: string, args: string[], message: RegExp, baseline: string): Promise<void> {
  const result = await runInProcess(root, args);
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(2);
  expect(treeHash(root)).toBe(baseline);
}
