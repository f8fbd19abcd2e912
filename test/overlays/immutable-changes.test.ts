import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRepo } from '../helpers/repo-copy.js';
import { commitAll, gitIn } from '../helpers/git-repo.js';
import { runCliProcess, type CliResult } from '../helpers/cli.js';

/**
 * GIVEN a copy of the repository (the tests' registry, generated) as a git repository
 * WHEN an overlay's Prometheus volume grows in the registry and the tree is regenerated
 * THEN diff and check --changed-since both name the claim-template change the API server refuses,
 *      with the resize-and-orphan steps for each replica.
 */
describe('a volume size change in a copy of the repository', () => {
  let repo: { root: string; cleanup: () => void };
  let diff: CliResult;
  let markdown: string;
  let check: CliResult;
  beforeAll(() => {
    repo = copyRepo();
    gitIn(repo.root, 'init', '-q', '-b', 'main');
    commitAll(repo.root, 'as generated');
    const registry = join(repo.root, 'settings/overlays.ts');
    const text = readFileSync(registry, 'utf8');
    // dev-minio's Prometheus volume: the dev profile's 10Gi -> 30Gi.
    const edited = text.replace(
      "    secrets: 'plain',\n",
      "    secrets: 'plain',\n    overrides: { prometheus: { storageSize: '30Gi' } },\n",
    );
    expect(edited).not.toBe(text);
    writeFileSync(registry, edited);
    const generate = runCliProcess(['generate'], { root: repo.root });
    expect(generate.code, generate.stderr).toBe(0);
    diff = runCliProcess(['diff', '--base', 'HEAD', '--format', 'markdown', '--output', join(repo.root, 'diff.md'), '--format', 'text'], {
      root: repo.root,
    });
    markdown = readFileSync(join(repo.root, 'diff.md'), 'utf8');
    check = runCliProcess(['check', '--changed-since', 'HEAD', '--format', 'json'], { root: repo.root });
  }, 300_000);
  afterAll(() => repo.cleanup());

  it('diff names the refused change and prints the steps per replica', () => {
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/dev-minio: StatefulSet\/prometheus changed \(.*\) \[refused by the API server: see the steps\]/);
    expect(diff.stdout).toContain('The API server refuses 1 of these object change(s) as written');
    expect(diff.stdout).toContain('spec.volumeClaimTemplates[data].storage: 10Gi -> 30Gi: the API server refuses the update');
    expect(diff.stdout).toContain(
      `kubectl -n monitoring-dev patch pvc data-prometheus-0 -p '{"spec":{"resources":{"requests":{"storage":"30Gi"}}}}'`,
    );
    expect(diff.stdout).toContain('kubectl -n monitoring-dev delete statefulset prometheus --cascade=orphan');
    expect(markdown).toContain('#### :warning: Changes the API server refuses');
    expect(markdown).toContain('data-prometheus-0');
  });

  it('check --changed-since reports it as an immutable-field error and exits 1', () => {
    const report = JSON.parse(check.stdout) as {
      findings: { rule: string; overlay?: string; kind: string; name: string; message: string }[];
    };
    const findings = report.findings.filter((f) => f.rule === 'immutable-field');
    expect(findings.map((f) => `${f.overlay} ${f.kind}/${f.name}`)).toEqual(['dev-minio StatefulSet/prometheus']);
    expect(findings[0].message).toMatch(/storage: 10Gi -> 30Gi.*allowVolumeExpansion.*patch pvc data-prometheus-0.*--cascade=orphan/s);
    expect(check.code).toBe(1);
  });
});
