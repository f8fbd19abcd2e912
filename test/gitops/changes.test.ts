import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { affectedOverlays, dependencyClosure } from '../../review/changed-paths.js';
import { changedPaths } from '../../review/git.js';
import { UserError } from '../../core/errors.js';
import { fixtureGitRepo, gitIn, writeIn } from '../helpers/git-repo.js';

describe('which overlays a change affects', () => {
  let repo: { root: string; cleanup: () => void };
  beforeAll(() => {
    repo = fixtureGitRepo();
  });
  afterAll(() => repo.cleanup());
  const reset = () => {
    gitIn(repo.root, 'checkout', '-q', '--', '.');
    gitIn(repo.root, 'clean', '-qfd');
  };
  const select = () => affectedOverlays(repo.root, changedPaths(repo.root, 'HEAD', 'check --changed-since'));

  it('the closure follows resources into base folders', () => {
    const closure = dependencyClosure(repo.root, join(repo.root, 'overlays/a'));
    expect(closure).toContain('overlays/a/');
    expect(closure).toContain('base/');
    expect(closure).toContain('base/query/');
  });

  const cases: Array<[string, () => void, string[], string[], number]> = [
    [
      'an overlay-only change',
      () =>
        writeIn(repo.root, 'overlays/a/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-a\ndata:\n  level: two\n'),
      ['a'],
      [],
      0,
    ],
    ['a new file in one overlay', () => writeIn(repo.root, 'overlays/b/notes.txt', 'x\n'), ['b'], [], 0],
    [
      'a base change',
      () =>
        writeFileSync(
          join(repo.root, 'base/query/deployment.yaml'),
          `${readFileSync(join(repo.root, 'base/query/deployment.yaml'), 'utf8')}\n`,
        ),
      ['a', 'b'],
      [],
      0,
    ],
    // Generator sources matter through what they generate: selectChanges reads them (test/check/selection.test.ts).
    ['a registry change', () => writeIn(repo.root, 'settings/overlays.ts', '// changed\n'), [], [], 0],
    ['a policy change (check re-runs every overlay)', () => writeIn(repo.root, 'policies/rules/pdb.ts', '// changed\n'), ['a', 'b'], [], 0],
    ['an unrelated file', () => writeIn(repo.root, 'README.md', 'changed\n'), [], [], 1],
    ['a deleted overlay', () => rmSync(join(repo.root, 'overlays/b'), { recursive: true }), [], ['b'], 0],
  ];
  it.each(cases)('%s', (_name, change, expected, removed, unrelated) => {
    reset();
    change();
    const result = select();
    expect(result.overlays.map((o) => o.name)).toEqual(expected);
    expect(result.removed).toEqual(removed);
    expect(result.unrelated).toHaveLength(unrelated);
    for (const o of result.overlays) expect(o.reasons.length).toBeGreaterThan(0);
    reset();
  });

  it('an unknown ref and a folder without git history are input errors', () => {
    expect(() => changedPaths(repo.root, 'no-such-branch', 'check --changed-since')).toThrow(UserError);
    expect(() => changedPaths(repo.root, 'no-such-branch', 'check --changed-since')).toThrow(/not a commit in this repository/);
    expect(() => changedPaths('/tmp', 'HEAD', 'check --changed-since')).toThrow(/not a git repository/);
  });
});
