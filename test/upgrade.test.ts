import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THANOS_RELEASES } from '../core/thanos/flags.js';
import { readPins, VERSIONS_PATH } from '../generator/model/versions-file.js';
import { commitAll, gitIn } from './helpers/git-repo.js';
import { copyRepo, REPO_ROOT, treeHash } from './helpers/repo-copy.js';

// dist/ (gitignored) is left out of 'nothing changed': the compiled CLI rebuilds it after the pins change.
/**
 * `npm run upgrade` end to end in a copy of the fixture repository: the CLI in a process of its
 * own, which starts `generate` and `check` in processes of their own (the compiled CLI, as npm run
 * does), so every step reads the pins from the file it just changed.
 */
function upgrade(root: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli/main.ts'), 'upgrade', ...args], {
    cwd: root,
    env: { ...process.env, THANOS_HA_ROOT: root, FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const pinned = (root: string) => readPins(readFileSync(join(root, VERSIONS_PATH), 'utf8'));
const thanosTag = (root: string) => pinned(root).find((p) => p.name === 'thanos')!.tag;

describe('npm run upgrade', () => {
  let repo: { root: string; cleanup: () => void };
  beforeAll(() => {
    repo = copyRepo();
  });
  afterAll(() => repo?.cleanup());

  // Bad tags and unknown pins (exit 2, nothing changed) are cases of test/cli-bad-input.test.ts: they stop before any process starts.

  it('the pinned tag again: exit 0, nothing changed', () => {
    const before = treeHash(repo.root, ['dist']);
    const result = upgrade(repo.root, '--thanos', thanosTag(repo.root));
    expect(result.stdout).toContain('thanos is already at that tag');
    expect(result.code).toBe(0);
    expect(treeHash(repo.root, ['dist'])).toBe(before);
  }, 300_000);

  it('a release the generator cannot run on (its flags are newer): exit 2, the generator says why, the pin put back', () => {
    const before = treeHash(repo.root, ['dist']);
    const result = upgrade(repo.root, '--thanos', THANOS_RELEASES[0]);
    expect(result.stderr).toMatch(
      /the generator refuses thanos v0\.20\.2, so nothing was changed \(settings\/versions\.ts put back\):\n.*first appears in v0\.\d+; v0\.20 refuses to start with it/,
    );
    expect(result.code).toBe(2);
    expect(treeHash(repo.root, ['dist'])).toBe(before);
  }, 600_000);

  it('a pinned release: the pin changed, files regenerated, check run with --upgrade-to, the report printed; again: nothing changes', () => {
    const target = THANOS_RELEASES[THANOS_RELEASES.length - 2];
    const from = thanosTag(repo.root);
    const text = readFileSync(join(repo.root, VERSIONS_PATH), 'utf8');
    const result = upgrade(repo.root, '--thanos', target);
    // The pin: one line of the file changed, the others byte for byte.
    const after = readFileSync(join(repo.root, VERSIONS_PATH), 'utf8').split('\n');
    expect(after.filter((line, i) => line !== text.split('\n')[i])).toEqual([`export const THANOS_VERSION = '${target}';`]);
    expect(result.stdout).toContain(`thanos ${from} -> ${target}  quay.io/thanos/thanos  (downgrade)`);
    // The files: regenerated with the new image.
    const written = Number(/generate: (\d+) file\(s\) written/.exec(result.stdout)?.[1]);
    expect(written).toBeGreaterThan(0);
    expect(readFileSync(join(repo.root, 'base/query/deployment.yaml'), 'utf8')).toContain(`quay.io/thanos/thanos:${target}`);
    // The check: green, or the breaking items named; either way the exit code says which.
    const check = /check: npm run check -- --upgrade-to (\S+): (\d+) error\(s\), (\d+) warning\(s\)/.exec(result.stdout);
    expect(check?.[1]).toBe(target);
    if (Number(check?.[2]) > 0) {
      expect(result.stdout).toContain('Breaking (the cluster or the process refuses these');
      expect(result.code).toBe(1);
    } else expect(result.code).toBe(0);
    // What the reference says: flags v0.42 has and v0.41 has not, said as a downgrade.
    expect(result.stdout).toMatch(/thanos query-frontend --query\.max-retries-per-request: not in v0\.41 \(added after it\)/);
    expect(result.stdout).toContain('What to do:');

    const before = treeHash(repo.root, ['dist']);
    const again = upgrade(repo.root, '--thanos', target);
    expect(again.stdout).toContain('thanos is already at that tag');
    expect(again.code).toBe(0);
    expect(treeHash(repo.root, ['dist'])).toBe(before);
  }, 900_000);
});

describe('npm run upgrade -- --since <ref>: a Renovate branch, where the pin changed and nothing else', () => {
  let repo: { root: string; cleanup: () => void };
  beforeAll(() => {
    repo = copyRepo();
    gitIn(repo.root, 'init', '-q', '-b', 'main');
    commitAll(repo.root, 'fixture');
  });
  afterAll(() => repo?.cleanup());

  it('regenerates, checks and reports each pin that differs from the ref; the files it wrote are what the branch lacked', () => {
    const target = THANOS_RELEASES[THANOS_RELEASES.length - 2];
    const from = thanosTag(repo.root);
    // What Renovate's regex manager commits: the tag in the version constant, nothing else.
    const path = join(repo.root, VERSIONS_PATH);
    writeFileSync(path, readFileSync(path, 'utf8').replace(`THANOS_VERSION = '${from}'`, `THANOS_VERSION = '${target}'`));
    commitAll(repo.root, 'Update quay.io/thanos/thanos');
    const result = upgrade(repo.root, '--since', 'HEAD~1');
    expect(result.stdout).toContain(`upgrade: ${VERSIONS_PATH} (compared with HEAD~1)`);
    expect(result.stdout).toContain(`thanos ${from} -> ${target}`);
    expect(Number(/generate: (\d+) file\(s\) written/.exec(result.stdout)?.[1])).toBeGreaterThan(0);
    expect(result.stdout).toContain(`check: npm run check -- --upgrade-to ${target}`);
    expect([0, 1]).toContain(result.code);
    // The workflow step fails on exactly this: files the branch did not have.
    expect(gitIn(repo.root, 'status', '--porcelain')).toContain('base/query/deployment.yaml');
  }, 900_000);
});
