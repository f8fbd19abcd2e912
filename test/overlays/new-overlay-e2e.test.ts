import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRegistry } from '../../generator/model/registry-file.js';
import { SIGNAL_AFTER_WRITE_ENTRY, runCliProcess } from '../helpers/cli.js';
import { copyRepo, treeHash } from '../helpers/repo-copy.js';
import { find, render } from './helpers.js';

const REGISTRY = 'settings/overlays.ts';
const PLACEHOLDER_URL = 'https://git.example.com/CHANGE-ME/thanos-ha-gitops.git';

describe('npm run new-overlay, end to end in a copy of the repository', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());
  let original: string;
  let result: ReturnType<typeof runCliProcess>;
  beforeAll(() => {
    // The template's own settings (whatever this fork has set): repoURL still the placeholder.
    const settings = join(copy.root, 'settings/gitops.ts');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace(/repoURL: '[^']*'/, `repoURL: '${PLACEHOLDER_URL}'`));
    // The copy's tree follows its settings first (runbook links and GitOps files name the repository).
    expect(runCliProcess(['generate'], { root: copy.root }).code).toBe(0);
    original = readFileSync(join(copy.root, REGISTRY), 'utf8');
    // Exactly what `npm run new-overlay prod-s3 -- --bucket metrics-prod` runs.
    result = runCliProcess(['new-overlay', 'prod-s3', '--bucket', 'metrics-prod', '--region', 'eu-central-1'], { root: copy.root });
  });

  it('exits 0 and says what it created and what to do next', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "new-overlay: added 'prod-s3' to settings/overlays.ts (profile prod, provider s3, cluster prod-s3, namespace monitoring-prod, secrets external-secrets, bucket metrics-prod).",
    );
    expect(result.stdout).toContain('create overlays/prod-s3/kustomization.yaml');
    expect(result.stdout).toContain('create overlays/prod-s3/user/kustomization.yaml');
    expect(result.stdout).toContain("in your secret store, create the entry 'thanos/prod-s3' with the properties access_key, secret_key");
    expect(result.stdout).toContain('git add settings/overlays.ts overlays/prod-s3 clusters gitops && git commit');
  });

  it('next steps name the placeholder repoURL and the GitOps files to apply, read from what it wrote', () => {
    expect(result.stdout).toContain(`set repoURL (and branch) in settings/gitops.ts: repoURL is still the placeholder ${PLACEHOLDER_URL}`);
    expect(result.stdout).toMatch(/Argo CD: register cluster 'prod-s3' once .*kubectl apply -f gitops\/\S*prod-s3\.yaml once/);
    expect(result.stdout).toMatch(
      /Flux: bootstrap cluster 'prod-s3' with --path=clusters\/prod-s3; it reconciles clusters\/\S*prod-s3\.yaml/,
    );
    expect(result.stdout).not.toContain("placeholder 'CHANGE-ME");
  });

  it('edits the registry in place: every original line (comments included) kept, the entry appended', () => {
    const edited = readFileSync(join(copy.root, REGISTRY), 'utf8');
    const closing = original.lastIndexOf('];');
    expect(edited.startsWith(original.slice(0, closing))).toBe(true);
    expect(edited.slice(closing)).toBe(
      [
        '  // prod on Amazon S3 or any S3 API (Ceph RGW, R2, ...); added by npm run new-overlay.',
        '  {',
        "    name: 'prod-s3',",
        "    profile: 'prod',",
        "    provider: 's3',",
        "    cluster: 'prod-s3',",
        "    namespace: 'monitoring-prod',",
        "    secrets: 'external-secrets',",
        "    bucket: 'metrics-prod',",
        "    settings: { region: 'eu-central-1' },".replace("{ region: 'eu-central-1' }", "{\n      region: 'eu-central-1',\n    }"),
        '  },',
        '];',
        '',
      ].join('\n'),
    );
    expect(readRegistry(copy.root).map((o) => o.name)).toContain('prod-s3');
  });

  it('writes an overlay that renders cleanly for the options given', async () => {
    const { objects, warnings } = await render(join(copy.root, 'overlays/prod-s3'));
    expect(warnings).toBe('');
    const es = find(objects, 'ExternalSecret', 'thanos-objstore');
    expect(es.spec.target.template.data['objstore.yml']).toContain('endpoint: s3.eu-central-1.amazonaws.com');
    expect(es.metadata.namespace).toBe('monitoring-prod');
  });

  it('leaves the tree as `generate --check` expects', () => {
    // A process of the copy's own: its settings (the placeholder URL) are not this process's.
    const check = runCliProcess(['generate', '--check'], { root: copy.root });
    expect(check.stdout).toContain('up to date');
    expect(check.code).toBe(0);
  });
});

describe('new-overlay interrupted by a signal while writing', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());

  it('puts the registry and every file back and exits 130', () => {
    const before = treeHash(copy.root);
    const result = runCliProcess(['new-overlay', 'staging-oss'], { root: copy.root, entry: SIGNAL_AFTER_WRITE_ENTRY });
    expect(result.stderr).toContain('interrupted by SIGTERM: settings/overlays.ts and every file written were put back as they were.');
    expect(result.code).toBe(130);
    expect(treeHash(copy.root)).toBe(before);
  });
});
