import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRegistryEntry, parseRegistry, removeRegistryEntry } from '../../generator/model/registry-file.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { copyRepo, treeHash } from '../helpers/repo-copy.js';
import { runInProcess } from './cli-harness.js';

describe('remove-overlay undoes new-overlay byte for byte', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());

  it.each([
    ['the README example (external-secrets)', ['prod-s3', '--bucket', 'metrics-prod', '--region', 'eu-central-1']],
    ['a SOPS overlay (templates and .sops.yaml)', ['staging-gcs', '--secrets', 'sops']],
    ['a Sealed Secrets overlay (a user file created once)', ['staging-azure', '--secrets', 'sealed-secrets']],
  ])('%s: add then remove leaves the tree byte for byte as it was', async (_, args) => {
    const before = treeHash(copy.root);
    const added = await runInProcess(copy.root, ['new-overlay', ...args]);
    expect(added.code, added.stderr).toBe(0);
    expect(treeHash(copy.root)).not.toBe(before);
    const removed = await runInProcess(copy.root, ['remove-overlay', args[0]]);
    expect(removed.stderr).toBe('');
    expect(removed.code).toBe(0);
    expect(treeHash(copy.root)).toBe(before);
    expect(existsSync(join(copy.root, 'overlays', args[0]))).toBe(false);
  });

  it('says what to clean up in the cluster: the GitOps objects by name, the volumes, the bucket', async () => {
    await runInProcess(copy.root, ['new-overlay', 'prod-s3', '--bucket', 'metrics-prod']);
    const removed = await runInProcess(copy.root, ['remove-overlay', 'prod-s3']);
    expect(removed.stdout).toContain("remove-overlay: removed 'prod-s3' from settings/overlays.ts");
    expect(removed.stdout).toMatch(/delete gitops\/\S*prod-s3/);
    expect(removed.stdout).toMatch(/delete clusters\/\S*prod-s3/);
    expect(removed.stdout).toMatch(/Argo CD: .*argocd app delete thanos-ha-prod-s3 --cascade/);
    expect(removed.stdout).toMatch(/Flux: kubectl -n \S+ delete kustomization thanos-ha-prod-s3 \(prune is on/);
    expect(removed.stdout).toContain('kubectl -n monitoring-prod get pvc');
    expect(removed.stdout).toContain("the blocks stay in s3 bucket 'metrics-prod'");
    expect(removed.stdout).toMatch(/commit: git add -A settings\/overlays\.ts overlays\/prod-s3 (clusters|gitops) /);
    expect((await runInProcess(copy.root, ['generate', '--check'])).code).toBe(0);
  });
});

describe("remove-overlay keeps the user's files unless --purge", () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());
  const userPatch = 'overlays/prod-s3/user/query-replicas.yaml';
  const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: thanos-query\nspec:\n  replicas: 5\n';

  it("a user/ folder with the user's work stays, and the report says so; generate --check is clean", async () => {
    const before = treeHash(copy.root);
    await runInProcess(copy.root, ['new-overlay', 'prod-s3']);
    writeFileSync(join(copy.root, userPatch), patch);
    const removed = await runInProcess(copy.root, ['remove-overlay', 'prod-s3']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`keep   ${userPatch}`);
    expect(removed.stdout).toContain('keep   overlays/prod-s3/user/kustomization.yaml');
    expect(removed.stdout).toContain('pass --purge');
    expect(readFileSync(join(copy.root, userPatch), 'utf8')).toBe(patch);
    expect(existsSync(join(copy.root, 'overlays/prod-s3/kustomization.yaml'))).toBe(false);
    expect(existsSync(join(copy.root, 'gitops/flux/prod-s3.yaml'))).toBe(false);
    expect((await runInProcess(copy.root, ['generate', '--check'])).code).toBe(0);
    // Adding it again picks the kept user/ folder up; --purge then removes everything.
    expect((await runInProcess(copy.root, ['new-overlay', 'prod-s3'])).code).toBe(0);
    expect(readFileSync(join(copy.root, userPatch), 'utf8')).toBe(patch);
    const purged = await runInProcess(copy.root, ['remove-overlay', 'prod-s3', '--purge']);
    expect(purged.code).toBe(0);
    expect(purged.stdout).toContain(`delete ${userPatch}`);
    expect(treeHash(copy.root)).toBe(before);
  });
});

describe('remove-overlay refuses bad input with exit 2, a message, and no file changed', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());
  let baseline: string;
  beforeAll(() => {
    baseline = treeHash(copy.root);
  });

  it.each([
    [
      'a typo',
      ['prod-gsc'],
      /no overlay 'prod-gsc' in settings\/overlays\.ts\. Did you mean 'prod-gcs'\? Overlays: dev-minio, staging-s3, prod-gcs, prod-cos, prod-oss\./,
    ],
    ['an overlay that is not in the registry', ['qa-azure'], /no overlay 'qa-azure' in settings\/overlays\.ts\. Overlays: /],
    ['a path', ['../prod-oss'], /overlay name '\.\.\/prod-oss' is not a lowercase DNS label: it contains '\.\.'/],
    ['no name', [], /Not enough non-option arguments/],
    ['two names', ['prod-oss', 'prod-gcs'], /Unknown argument/],
    ['an unknown option', ['prod-oss', '--force'], /Unknown argument: force/],
  ])('%s', async (_, args, message) => {
    const result = await runInProcess(copy.root, ['remove-overlay', ...args]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(treeHash(copy.root)).toBe(baseline);
  });

  // A registry that does not parse: with new-overlay's, in new-overlay.test.ts.

  it('a failure while writing rolls back the registry and every file', async () => {
    const result = await runInProcess(copy.root, ['remove-overlay', 'prod-oss'], {
      afterAll: () => {
        throw new Error('injected failure after removing the overlay');
      },
    });
    expect(result.stderr).toMatch(
      /remove-overlay prod-oss failed while writing: injected failure.* Rolled back: settings\/overlays\.ts, overlays\/prod-oss\/ and every other file are as they were\./,
    );
    expect(result.code).toBe(2);
    expect(treeHash(copy.root)).toBe(baseline);
  });
});

describe('removeRegistryEntry', () => {
  const head = "import type { OverlayDefinition } from './schema/overlay-entry.js';\n\n";
  const entry: OverlayDefinition = {
    name: 'dev-minio',
    profile: 'dev',
    provider: 'minio',
    cluster: 'laptop',
    namespace: 'm',
    secrets: 'plain',
    bucket: 'thanos',
  };
  it.each([
    ['an empty array', `${head}export const overlays: OverlayDefinition[] = [];\n`],
    [
      'entries with comments',
      `${head}export const overlays: OverlayDefinition[] = [\n  // first\n  { name: 'prod-oss', profile: 'prod', provider: 'oss', namespace: 'x', secrets: 'sops', bucket: 'bb' },\n];\n`,
    ],
  ])('inverts addRegistryEntry on %s', (_, text) => {
    const added = addRegistryEntry(text, entry, { comment: 'a comment' });
    expect(removeRegistryEntry(added, 'dev-minio')).toBe(text);
  });
  it('a last entry without a trailing comma: the comma add put before it stays, the registry reads back', () => {
    const text = `${head}export const overlays: OverlayDefinition[] = [\n  { name: 'prod-oss', profile: 'prod', provider: 'oss', namespace: 'x', secrets: 'sops', bucket: 'bb' } // tail\n];\n`;
    const removed = removeRegistryEntry(addRegistryEntry(text, entry), 'dev-minio');
    expect(removed).toBe(text.replace('} // tail', '}, // tail'));
    expect(removeRegistryEntry(removed, 'prod-oss')).toBe(`${head}export const overlays: OverlayDefinition[] = [];\n`);
  });
  it('removes an entry in the middle with its comment, and the others read back unchanged', () => {
    const text = `${head}export const overlays: OverlayDefinition[] = [\n  // one\n  { name: 'a-s3', profile: 'dev', provider: 's3', namespace: 'x', secrets: 'sops', bucket: 'bb' },\n  // two\n  { name: 'b-s3', profile: 'dev', provider: 's3', namespace: 'x', secrets: 'sops', bucket: 'bb' },\n  // three\n  { name: 'c-s3', profile: 'dev', provider: 's3', namespace: 'x', secrets: 'sops', bucket: 'bb' },\n];\n`;
    const removed = removeRegistryEntry(text, 'b-s3');
    expect(removed).not.toContain('two');
    expect(removed).toContain('// one');
    expect(removed).toContain('// three');
    expect(parseRegistry(removed).map((o) => o.name)).toEqual(['a-s3', 'c-s3']);
  });
});
