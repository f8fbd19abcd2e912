import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copyRepo } from './repo-copy.js';

export function gitIn(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: 'pipe' });
}

export function writeIn(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/**
 * A copy of the repository turned into a fresh git repository whose overlays are two small
 * fixtures (a and b, both over the whole base), committed once.
 */
export function fixtureGitRepo(): { root: string; cleanup: () => void } {
  const copy = copyRepo();
  rmSync(join(copy.root, 'overlays'), { recursive: true, force: true });
  for (const name of ['a', 'b']) {
    writeIn(
      copy.root,
      `overlays/${name}/kustomization.yaml`,
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: obs-${name}\nresources:\n  - ../../base\n  - extra.yaml\n`,
    );
    writeIn(
      copy.root,
      `overlays/${name}/extra.yaml`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-${name}\ndata:\n  level: one\n`,
    );
  }
  gitIn(copy.root, 'init', '-q', '-b', 'main');
  gitIn(copy.root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A');
  gitIn(copy.root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'first');
  return copy;
}

export function commitAll(root: string, message: string): void {
  gitIn(root, 'add', '-A');
  gitIn(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', message);
}
