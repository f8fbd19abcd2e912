import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffAgainst, formatDiff } from '../../review/rendered-diff.js';
import { selectChanges } from '../../review/affected-overlays.js';
import { runCliProcess } from '../helpers/cli.js';
import { commitAll, gitIn, writeIn } from '../helpers/git-repo.js';
import { copyRepo } from '../helpers/repo-copy.js';

/**
 * A fixture registry of three overlays, two of which upload to the same bucket (staging-s3 and
 * qa-s3), committed on `main` of a fresh repository; each case commits a change on a branch and
 * selects against main, as a pull request would.
 */
export const FIXTURE_REGISTRY = `import type { OverlayDefinition } from './schema/overlay-entry.js';

export const overlays: OverlayDefinition[] = [
  { name: 'staging-s3', cluster: 'staging-1', profile: 'staging', provider: 's3', namespace: 'obs-staging', secrets: 'external-secrets', bucket: 'metrics', settings: { region: 'eu-west-1' } },
  { name: 'qa-s3', cluster: 'qa-1', profile: 'staging', provider: 's3', namespace: 'obs-qa', secrets: 'external-secrets', bucket: 'metrics', settings: { region: 'eu-west-1' } },
  { name: 'prod-gcs', cluster: 'prod-1', profile: 'prod', provider: 'gcs', namespace: 'obs-prod', secrets: 'external-secrets', bucket: 'metrics-prod' },
];
`;

export function fixtureHistory(): { root: string; cleanup: () => void } {
  const copy = copyRepo();
  writeIn(copy.root, 'settings/overlays.ts', FIXTURE_REGISTRY);
  gitIn(copy.root, 'init', '-q', '-b', 'main');
  generate(copy.root);
  commitAll(copy.root, 'fixture registry');
  return copy;
}

/** `npm run generate` in a child process: the generator's own modules may have changed on disk. */
export function generate(root: string): void {
  const run = runCliProcess(['generate'], { root });
  if (run.code !== 0) throw new Error(`generate failed: ${run.stderr}`);
}

function edit(root: string, path: string, from: string | RegExp, to: string): void {
  const text = readFileSync(join(root, path), 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${path}: '${String(from)}' not found`);
  writeFileSync(join(root, path), next);
}

describe('check --changed-since on a real committed history', () => {
  let repo: { root: string; cleanup: () => void };
  beforeAll(() => {
    repo = fixtureHistory();
  }, 120_000);
  afterAll(() => repo.cleanup());

  /** Commits `change` (regenerated) on a fresh branch off main and selects against main. */
  async function onBranch(name: string, change: () => void) {
    gitIn(repo.root, 'checkout', '-q', '-B', name, 'main');
    change();
    generate(repo.root);
    commitAll(repo.root, name);
    const selection = await selectChanges(repo.root, 'main', 'check --changed-since');
    gitIn(repo.root, 'checkout', '-q', 'main');
    return selection;
  }
  const byName = (s: Awaited<ReturnType<typeof selectChanges>>) =>
    Object.fromEntries(s.overlays.map((o) => [o.name, o.reasons.join('; ')]));

  it('one edited entry selects exactly that overlay, naming the field', async () => {
    const s = await onBranch('bucket', () => edit(repo.root, 'settings/overlays.ts', "bucket: 'metrics-prod'", "bucket: 'metrics-eu'"));
    expect(Object.keys(byName(s))).toEqual(['prod-gcs']);
    expect(byName(s)['prod-gcs']).toContain("its registry entry changed (bucket: 'metrics-prod' -> 'metrics-eu')");
  }, 60_000);

  it('an edited entry also selects the overlays that share its bucket, each with its reason', async () => {
    const s = await onBranch('namespace', () => edit(repo.root, 'settings/overlays.ts', "namespace: 'obs-qa'", "namespace: 'obs-qa2'"));
    expect(Object.keys(byName(s)).sort()).toEqual(['qa-s3', 'staging-s3']);
    expect(byName(s)['qa-s3']).toContain("its registry entry changed (namespace: 'obs-qa' -> 'obs-qa2')");
    expect(byName(s)['staging-s3']).toBe("shares bucket 'metrics' (s3) with qa-s3, whose entry changed");
  }, 60_000);

  it("a change to one overlay's own files (a user/ patch) also selects the overlays sharing its bucket", async () => {
    // GIVEN qa-s3 and staging-s3 upload to one bucket; WHEN only qa-s3's user/ kustomization changes
    const s = await onBranch('user-patch', () =>
      edit(
        repo.root,
        'overlays/qa-s3/user/kustomization.yaml',
        'resources: []',
        'resources: []\ncommonAnnotations:\n  team: observability',
      ),
    );
    // THEN staging-s3 is checked beside it (external-labels across overlays needs both), and prod-gcs is not
    expect(Object.keys(byName(s)).sort()).toEqual(['qa-s3', 'staging-s3']);
    expect(byName(s)['staging-s3']).toBe("shares bucket 's3:metrics' with qa-s3, which is checked");
  }, 60_000);

  it('an entry moved onto another cluster also selects the overlays already there', async () => {
    const s = await onBranch('cluster', () => edit(repo.root, 'settings/overlays.ts', "cluster: 'prod-1'", "cluster: 'qa-1'"));
    expect(Object.keys(byName(s)).sort()).toEqual(['prod-gcs', 'qa-s3']);
    expect(byName(s)['prod-gcs']).toContain("its registry entry changed (cluster: 'prod-1' -> 'qa-1')");
    expect(byName(s)['qa-s3']).toBe("shares cluster 'qa-1' with prod-gcs, whose entry changed");
    // The diff shows the per-cluster Flux folders the move changes: removed from one, added to the other.
    gitIn(repo.root, 'checkout', '-q', 'cluster');
    const report = await diffAgainst(repo.root, 'main');
    gitIn(repo.root, 'checkout', '-q', 'main');
    const changes = Object.fromEntries(
      report.sections.map((section) => [section.name, section.objects.map((o) => `${o.change} ${o.key}`)]),
    );
    expect(changes['clusters/prod-1/thanos-ha/prod-gcs.yaml']).toEqual(['removed Kustomization flux-system/thanos-ha-prod-gcs']);
    expect(changes['clusters/qa-1/thanos-ha/prod-gcs.yaml']).toEqual(['added Kustomization flux-system/thanos-ha-prod-gcs']);
  }, 90_000);

  it('a comment in the registry selects nothing and says so', async () => {
    const s = await onBranch('comment', () =>
      edit(repo.root, 'settings/overlays.ts', 'export const overlays', '// a note\nexport const overlays'),
    );
    expect(s.overlays).toEqual([]);
    expect(s.notes).toContain('settings/overlays.ts changed, but no entry did (comments or layout only)');
  }, 60_000);

  it('a stack default selects every overlay whose render changes, naming the default', async () => {
    const s = await onBranch('default', () =>
      edit(repo.root, 'generator/model/stack.ts', "ignoreDeletionMarksDelay: '24h'", "ignoreDeletionMarksDelay: '12h'"),
    );
    expect(Object.keys(byName(s)).sort()).toEqual(['prod-gcs', 'qa-s3', 'staging-s3']);
    for (const reasons of Object.values(byName(s))) {
      expect(reasons).toContain("stack default store.ignoreDeletionMarksDelay: '24h' -> '12h'");
      expect(reasons).toContain('base/store/statefulset.yaml changed');
    }
  }, 90_000);

  it('a default every profile overrides changes no render: nothing selected, and a note says why', async () => {
    const s = await onBranch('masked', () => edit(repo.root, 'generator/model/stack.ts', "retentionRaw: '30d'", "retentionRaw: '45d'"));
    expect(s.overlays).toEqual([]);
    expect(s.notes?.join('\n')).toMatch(/prod-gcs, qa-s3, staging-s3: shared files changed, but their renders did not/);
    expect(s.notes?.join('\n')).toContain("stack default compact.retentionRaw: '30d' -> '45d': no overlay renders differently with it");
  }, 90_000);

  it('a profile change selects only the overlays of that profile', async () => {
    const s = await onBranch('profile', () => edit(repo.root, 'settings/profiles.ts', "retentionRaw: '90d'", "retentionRaw: '120d'"));
    expect(Object.keys(byName(s))).toEqual(['prod-gcs']);
    expect(byName(s)['prod-gcs']).toContain("profile prod.stack.compact.retentionRaw: '90d' -> '120d'");
  }, 90_000);

  it('a generator change that was not regenerated is selected, and the reason says to regenerate', async () => {
    gitIn(repo.root, 'checkout', '-q', '-B', 'stale', 'main');
    edit(repo.root, 'settings/profiles.ts', "retentionRaw: '14d'", "retentionRaw: '21d'");
    const s = await selectChanges(repo.root, 'main', 'check --changed-since');
    gitIn(repo.root, 'checkout', '-q', '--', '.');
    gitIn(repo.root, 'checkout', '-q', 'main');
    expect(Object.keys(byName(s)).sort()).toEqual(['qa-s3', 'staging-s3']);
    expect(byName(s)['qa-s3']).toMatch(/the generator now writes different files for it than are on disk .*run npm run generate/);
  }, 90_000);

  it('changing the branch setting shows the GitOps changes in the diff, each overlay naming the setting', async () => {
    gitIn(repo.root, 'checkout', '-q', '-B', 'branch-setting', 'main');
    // Whatever branch this fork follows (the copy has its settings).
    const branch = /branch: '([^']*)'/.exec(readFileSync(join(repo.root, 'settings/gitops.ts'), 'utf8'))![1];
    edit(repo.root, 'settings/gitops.ts', `branch: '${branch}'`, "branch: 'release'");
    generate(repo.root);
    commitAll(repo.root, 'branch setting');
    const report = await diffAgainst(repo.root, 'main');
    gitIn(repo.root, 'checkout', '-q', 'main');
    // Overlays render the branch too (the runbook links of their alerts): each says the setting changed.
    for (const o of report.selection.overlays) expect(o.reasons).toContain(`GitOps setting branch: '${branch}' -> 'release'`);
    const gitops = new Map(report.sections.map((s) => [s.name, s]));
    // Every GitOps file the generator writes outside overlays/ that names the branch, found without a folder list.
    expect(gitops.get('gitops/argocd/applications/qa-s3.yaml')!.objects).toEqual([
      {
        key: 'Application argocd/thanos-ha-qa-s3',
        change: 'changed',
        fields: [{ path: 'spec.source.targetRevision', before: branch, after: 'release' }],
      },
    ]);
    expect(gitops.get('.github/workflows/pull-request.yaml')!.objects[0].fields).toEqual([
      { path: 'on.pull_request.branches[0]', before: branch, after: 'release' },
    ]);
    const markdown = formatDiff(report, 'markdown');
    expect(markdown).toContain(
      `- gitops/argocd/applications/prod-gcs.yaml: Application/thanos-ha-prod-gcs changed (targetRevision: ${branch} -> release)`,
    );
  }, 90_000);

  it('the CLI prints each overlay with its reasons and the notes on stderr', () => {
    gitIn(repo.root, 'checkout', '-q', 'bucket');
    const run = runCliProcess(['check', '--changed-since', 'main', '--format', 'json'], { root: repo.root });
    gitIn(repo.root, 'checkout', '-q', 'main');
    expect(run.stderr).toMatch(/check: overlay prod-gcs: its registry entry changed \(bucket: 'metrics-prod' -> 'metrics-eu'\)/);
    expect(run.stderr).not.toMatch(/overlay (qa|staging)-s3/);
    expect(JSON.parse(run.stdout).summary).toBeDefined();
  }, 60_000);
});
