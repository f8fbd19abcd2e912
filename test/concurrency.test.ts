import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEntry, REGISTRY_PATH } from '../generator/model/registry-file.js';
import { readRegistry } from '../generator/overlay/index.js';
import { LOCK_FILE } from '../generator/write/lock.js';
import { copyRepo, treeHash } from './helpers/repo-copy.js';
import { runCliProcess } from './helpers/cli.js';

/** The registry of the copy plus `extra` generated overlays, so that a generate run takes a while. */
function growRegistry(root: string, extra: number): void {
  const entries = readRegistry(root);
  const providers = ['s3', 'gcs', 'cos', 'oss', 'azure', 'swift'];
  for (let i = 0; i < extra; i++) {
    const provider = providers[i % providers.length];
    const name = `load${i}-${provider}`;
    entries.push({
      name,
      profile: 'staging',
      provider,
      cluster: name,
      namespace: `mon-${name}`,
      secrets: 'external-secrets',
      bucket: `bucket-${name}`,
    } as never);
  }
  const body = entries.map((e) => `  ${formatEntry(e)},`).join('\n');
  writeFileSync(
    join(root, REGISTRY_PATH),
    `import type { OverlayDefinition } from './schema/overlay-entry.js';\n\nexport const overlays: OverlayDefinition[] = [\n${body}\n];\n`,
  );
}

function startGenerate(root: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), 'generate'], {
    cwd: root,
    env: { ...process.env, THANOS_HA_ROOT: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const leftovers = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => !e.parentPath.includes('node_modules') && (/\.tmp-\d+$/.test(e.name) || e.name === LOCK_FILE))
    .map((e) => e.name);

describe('concurrent and interrupted runs', () => {
  let repo: { root: string; cleanup: () => void };
  beforeAll(() => {
    repo = copyRepo();
    growRegistry(repo.root, 60);
  });
  afterAll(() => repo.cleanup());

  it('a run finds the lock of a live run, stops with exit 2 and changes nothing', () => {
    writeFileSync(join(repo.root, LOCK_FILE), `${process.pid}\nnew-overlay\n`);
    const before = treeHash(repo.root);
    const result = runCliProcess(['generate'], { root: repo.root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`another run \\(new-overlay, pid ${process.pid}\\)`));
    expect(treeHash(repo.root)).toBe(before);
    rmSync(join(repo.root, LOCK_FILE));
  });

  // Three runs over a grown registry: minutes on a loaded machine, not seconds.
  it('a lock left by a process that is gone is taken over', { timeout: 240_000 }, () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.pid'], { encoding: 'utf8' }).pid!;
    writeFileSync(join(repo.root, LOCK_FILE), `${gone}\ngenerate\n`);
    const result = runCliProcess(['generate'], { root: repo.root });
    expect(result.code).toBe(0);
    expect(runCliProcess(['generate', '--check'], { root: repo.root }).code).toBe(0);
    expect(leftovers(repo.root)).toEqual([]);
  });

  it('two generate runs at once: one writes, the other stops with the lock message; the tree is whole', async () => {
    rmSync(join(repo.root, 'overlays'), { recursive: true });
    const [first, second] = [startGenerate(repo.root), startGenerate(repo.root)];
    const results = await Promise.all([first.done, second.done]);
    const codes = results.map((r) => r.code).sort();
    // Usually one waits on the other's lock (0 and 2); if the first finished before the second started, both are 0.
    expect([
      [0, 2],
      [0, 0],
    ]).toContainEqual(codes);
    for (const r of results.filter((r) => r.code === 2)) expect(r.output).toMatch(/another run \(generate, pid \d+\)/);
    expect(runCliProcess(['generate', '--check'], { root: repo.root }).code).toBe(0);
    expect(leftovers(repo.root)).toEqual([]);
  });

  it('SIGINT or SIGTERM at any moment leaves the tree as it was (or, if the run had finished, complete)', {
    timeout: 240_000,
  }, async () => {
    let interruptedMidRun = 0;
    // Signals spread over the length of one whole run on this machine (start-up included), so that
    // some land while it plans or writes however loaded the machine is.
    rmSync(join(repo.root, 'overlays'), { recursive: true, force: true });
    const started = Date.now();
    await startGenerate(repo.root).done;
    const whole = Date.now() - started;
    const delays = [0.15, 0.3, 0.45, 0.6, 0.75, 0.9].map((share) => Math.round(share * whole));
    for (const [i, delay] of delays.entries()) {
      rmSync(join(repo.root, 'overlays'), { recursive: true, force: true });
      const before = treeHash(repo.root);
      const run = startGenerate(repo.root);
      await sleep(delay);
      run.child.kill(i % 2 === 0 ? 'SIGINT' : 'SIGTERM');
      const result = await run.done;
      if (result.code === 0) {
        expect(runCliProcess(['generate', '--check'], { root: repo.root }).code).toBe(0);
      } else {
        expect(treeHash(repo.root), `killed after ${delay} ms: ${result.output}`).toBe(before);
        if (result.code === 130) {
          interruptedMidRun++;
          expect(result.output).toMatch(/interrupted by SIG(INT|TERM)/);
        }
      }
      expect(leftovers(repo.root)).toEqual([]);
    }
    // At least one signal arrived while the run was planning or writing, and was handled.
    expect(interruptedMidRun).toBeGreaterThan(0);
    expect(existsSync(join(repo.root, LOCK_FILE))).toBe(false);
  });
});
