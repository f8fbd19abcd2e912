import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffAgainst, formatDiff, type DiffReport } from '../../review/rendered-diff.js';
import { commitAll, fixtureGitRepo, gitIn, writeIn } from '../helpers/git-repo.js';
import { runCliProcess } from '../helpers/cli.js';
import { REGISTRY_PATH, addRegistryEntry, parseRegistry } from '../../generator/model/registry-file.js';
import { fleetDiagram } from '../../generator/gitops/fleet-diagram.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { FLEET_REGISTRY } from '../fixtures/registry/fleet.js';

const SECRET_BEFORE = 'c2VjcmV0LW9uZQ=='; // "secret-one"
const SECRET_AFTER = 'c2VjcmV0LXR3bw=='; // "secret-two"

describe('npm run diff on a real two-commit history', () => {
  let repo: { root: string; cleanup: () => void };
  let report: DiffReport;
  beforeAll(async () => {
    repo = fixtureGitRepo();
    // Commit 2 of the history: an overlay with a Secret and a ConfigMap that commit 3 changes.
    writeIn(
      repo.root,
      'overlays/a/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: obs-a\nresources:\n  - ../../base\n  - extra.yaml\n  - secret.yaml\n  - gone.yaml\n',
    );
    writeIn(
      repo.root,
      'overlays/a/secret.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: ${SECRET_BEFORE}\n`,
    );
    writeIn(repo.root, 'overlays/a/gone.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n');
    commitAll(repo.root, 'second');
    // The change under review: one object added, one removed, one field changed, a Secret value changed.
    writeIn(
      repo.root,
      'overlays/a/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: obs-a\nresources:\n  - ../../base\n  - extra.yaml\n  - secret.yaml\n  - new.yaml\n',
    );
    writeIn(repo.root, 'overlays/a/new.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: brand-new\n');
    writeIn(repo.root, 'overlays/a/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-a\ndata:\n  level: two\n');
    writeIn(
      repo.root,
      'overlays/a/secret.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: ${SECRET_AFTER}\n`,
    );
    // The change is committed too: the diff compares two commits of a real history (clean work tree).
    commitAll(repo.root, 'third');
    report = await diffAgainst(repo.root, 'HEAD~1');
  });
  afterAll(() => repo.cleanup());

  it('shows only the overlay whose render changed', () => {
    expect(report.sections.map((s) => s.name)).toEqual(['a']);
  });
  it('lists the added, removed and changed objects, with field-level changes', () => {
    const [a] = report.sections;
    const keys = (change: string) => a.objects.filter((o) => o.change === change).map((o) => o.key);
    expect(keys('added')).toEqual(['ConfigMap obs-a/brand-new']);
    expect(keys('removed')).toEqual(['ConfigMap obs-a/gone']);
    expect(keys('changed')).toEqual(['ConfigMap obs-a/extra-a', 'Secret obs-a/creds']);
    expect(a.objects.find((o) => o.key === 'ConfigMap obs-a/extra-a')!.fields).toEqual([
      { path: 'data.level', before: 'one', after: 'two' },
    ]);
    expect(a.unified).toContain('-  level: one');
    expect(a.unified).toContain('+  level: two');
  });
  it('redacts Secret values but still shows that one changed', () => {
    for (const format of ['text', 'markdown'] as const) {
      const text = formatDiff(report, format);
      expect(text).not.toContain(SECRET_BEFORE);
      expect(text).not.toContain(SECRET_AFTER);
      expect(text).toContain('<redacted: new value>');
    }
  });
  it('a PR comment has a headline, one section with field-level changes, and no empty block', () => {
    const markdown = formatDiff(report, 'markdown');
    expect(markdown).toContain('**1 overlay(s) render differently from HEAD~1.**');
    expect(markdown).toContain('- a: ConfigMap/extra-a changed (level: one -> two)');
    // One section for the one overlay, and the folded list of why it was compared.
    expect(markdown.match(/<details>/g)).toHaveLength(2);
    expect(markdown).toContain('<details><summary>Why these overlays were compared</summary>\n\n- **a**: overlays/a/');
    expect(markdown).toContain('<details><summary><b>a</b>: 1 added, 1 removed, 2 changed</summary>');
    expect(markdown).toContain('`data.level: one -> two`');
    expect(markdown).toContain('```diff');
    expect(markdown).not.toMatch(/<details>[\s\S]*?<\/summary>\s*<\/details>/);
  });
  it('over the size limit, the unified part is cut first, with a note that points at the artifact', () => {
    const full = formatDiff(report, 'markdown');
    const limit = full.length - 10;
    const cut = formatDiff(report, 'markdown', { limit, fullDiffAt: 'the `pr-report` artifact' });
    expect(cut.length).toBeLessThanOrEqual(limit);
    expect(cut).not.toContain('```diff');
    expect(cut).toContain(
      "Unified diff left out to stay under GitHub's comment size limit; the whole diff is in the `pr-report` artifact.",
    );
    expect(cut).toContain('`data.level: one -> two`');
    const tiny = formatDiff(report, 'markdown', { limit: 400, fullDiffAt: 'the artifact' });
    expect(tiny.length).toBeLessThanOrEqual(400);
    expect(tiny).toMatch(/left out to stay under the size limit|cut at the size limit/);
  });
  it('the CLI prints the same, leaves no worktree behind, and rejects an unknown ref with exit 2', () => {
    const ok = runCliProcess(
      ['diff', '--base', 'HEAD~1', '--format', 'markdown', '--output', join(repo.root, 'diff.md'), '--format', 'text'],
      { root: repo.root },
    );
    expect(ok.code).toBe(0);
    expect(readFileSync(join(repo.root, 'diff.md'), 'utf8')).toContain('<b>a</b>');
    expect(ok.stdout).toContain('overlay a: 1 added, 1 removed, 2 changed');
    expect(ok.stdout).toContain('      data.level: one -> two');
    expect(gitIn(repo.root, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    const bad = runCliProcess(['diff', '--base', 'nope'], { root: repo.root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'nope' is not a commit/);
  });
});

describe('npm run diff when the fleet changes', () => {
  let repo: { root: string; cleanup: () => void };
  let report: DiffReport;
  let registry: OverlayDefinition[];
  beforeAll(async () => {
    repo = fixtureGitRepo();
    // The change under review: the fixture fleet joins the fixture registry (not committed).
    let text = readFileSync(join(repo.root, REGISTRY_PATH), 'utf8');
    for (const entry of FLEET_REGISTRY.filter((o) => o.role)) text = addRegistryEntry(text, entry);
    writeIn(repo.root, REGISTRY_PATH, text);
    registry = parseRegistry(text);
    report = await diffAgainst(repo.root, 'HEAD');
  });
  afterAll(() => repo.cleanup());

  it('the report carries the new fleet picture, and none before', () => {
    expect(report.fleet).toEqual({ after: fleetDiagram(registry) });
  });
  it('the PR comment draws it in a mermaid block GitHub renders; the text output shows the change to its source', () => {
    const markdown = formatDiff(report, 'markdown');
    expect(markdown).toContain(`#### The fleet changed\n\n\`\`\`mermaid\n${fleetDiagram(registry)}\`\`\``);
    expect(markdown).not.toContain('The fleet before');
    const text = formatDiff(report, 'text');
    expect(text).toContain('The fleet changed (docs/fleet-topology.md draws it; Mermaid source):');
    expect(text).toContain('+  overlay_edge_s3 -->|"remote write');
  });
  it('a change that leaves the fleet as it was shows no picture', async () => {
    commitAll(repo.root, 'the fleet');
    const before = readFileSync(join(repo.root, REGISTRY_PATH), 'utf8');
    const after = before.replace("bucket: 'CHANGE-ME-staging-s3'", "bucket: 'metrics-staging'");
    expect(after).not.toBe(before);
    writeIn(repo.root, REGISTRY_PATH, after);
    const unchanged = await diffAgainst(repo.root, 'HEAD');
    expect(unchanged.fleet).toBeUndefined();
    expect(formatDiff(unchanged, 'markdown')).not.toContain('fleet changed');
  });
});

describe('formatDiff with a fleet change', () => {
  const base: DiffReport = { baseRef: 'main', selection: { overlays: [], removed: [], unrelated: [] }, sections: [], unchanged: [] };
  it.each([
    [
      'a fleet redrawn: the new picture, the old one folded away',
      { before: 'flowchart LR\n  a --> b\n', after: 'flowchart LR\n  a --> c\n' },
      [
        '```mermaid\nflowchart LR\n  a --> c\n```',
        '<details><summary>The fleet before</summary>\n\n```mermaid\nflowchart LR\n  a --> b\n```',
      ],
    ],
    ['the last fleet removed', { before: 'flowchart LR\n  a --> b\n' }, ['No overlay is an observer any more', 'The fleet before']],
  ])('%s', (_title, fleet, expected) => {
    const markdown = formatDiff({ ...base, fleet }, 'markdown');
    for (const part of expected) expect(markdown).toContain(part);
    expect(formatDiff(base, 'markdown')).not.toContain('fleet');
  });
});
