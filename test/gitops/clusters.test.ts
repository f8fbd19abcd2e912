import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderKustomize } from '../../core/kube/kubectl.js';
import { readRegistry } from '../../generator/model/registry-file.js';
import { validateAgainstSchema } from '../../core/kube/validate-objects.js';
import { runInProcess } from '../overlays/cli-harness.js';
import { copyRepo, REPO_ROOT } from '../helpers/repo-copy.js';

const docsOf = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

/** The committed GitOps files of whatever the live registry holds; no entry is named here. */
describe('the GitOps files of the live registry: every overlay goes to its own cluster', () => {
  const registry = readRegistry(REPO_ROOT);
  const clusters = [...new Set(registry.map((o) => o.cluster))].sort();

  it('clusters/ holds exactly one thanos-ha/ folder per cluster of the registry', () => {
    const onDisk = readdirSync(join(REPO_ROOT, 'clusters')).filter((c) => existsSync(join(REPO_ROOT, 'clusters', c, 'thanos-ha')));
    expect(onDisk.sort()).toEqual(clusters);
  });

  it("each clusters/<cluster>/thanos-ha/ renders with kubectl kustomize into its overlays' Flux Kustomizations, valid against the Flux schema", async () => {
    await Promise.all(
      clusters.map(async (cluster) => {
        const { yaml, warnings } = await renderKustomize(join(REPO_ROOT, 'clusters', cluster, 'thanos-ha'));
        expect(warnings).toBe('');
        const objects = docsOf(yaml);
        const kustomizations = objects.filter((o) => o.kind === 'Kustomization');
        expect(kustomizations.map((k) => k.spec.path).sort(), cluster).toEqual(
          registry
            .filter((o) => o.cluster === cluster)
            .map((o) => `./overlays/${o.name}`)
            .sort(),
        );
        for (const object of objects)
          expect(validateAgainstSchema(object), `${cluster}: ${object.kind}/${object.metadata.name}`).toEqual({ ok: true });
      }),
    );
  });

  it("each overlay's Argo CD Application names its cluster (or the in-cluster server where the overlay says so), valid against the Argo CD schema", () => {
    for (const overlay of registry) {
      const [app] = docsOf(readFileSync(join(REPO_ROOT, 'gitops/argocd/applications', `${overlay.name}.yaml`), 'utf8'));
      expect(validateAgainstSchema(app)).toEqual({ ok: true });
      expect(app.spec.destination, overlay.name).toEqual(
        overlay.argocdInCluster
          ? { server: 'https://kubernetes.default.svc', namespace: overlay.namespace }
          : { name: overlay.cluster, namespace: overlay.namespace },
      );
    }
    const [set] = docsOf(readFileSync(join(REPO_ROOT, 'gitops/argocd-applicationset/applicationset.yaml'), 'utf8'));
    expect(validateAgainstSchema(set)).toEqual({ ok: true });
    expect(set.spec.generators[0].list.elements.map((e: { name: string; cluster: string }) => `${e.name}@${e.cluster}`).sort()).toEqual(
      registry.map((o) => `${o.name}@${o.cluster}`).sort(),
    );
  });
});

describe('what flux bootstrap owns below clusters/<cluster>/', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());

  it("generate --check ignores it, generate never touches it, and a cluster's last overlay takes its thanos-ha/ folder along", async () => {
    // GIVEN an overlay alone on its cluster, and the files bootstrap commits for that cluster
    const added = await runInProcess(copy.root, ['new-overlay', 'staging-gcs', '--cluster', 'lonely-1']);
    expect(added.code, added.stderr).toBe(0);
    const bootstrap: Record<string, string> = {
      'clusters/lonely-1/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [flux-system, thanos-ha]\n',
      'clusters/lonely-1/flux-system/gotk-sync.yaml':
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: flux-system}\n',
      'clusters/lonely-1/flux-system/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [gotk-components.yaml, gotk-sync.yaml]\n',
    };
    for (const [path, content] of Object.entries(bootstrap)) {
      mkdirSync(join(copy.root, path, '..'), { recursive: true });
      writeFileSync(join(copy.root, path), content);
    }
    // WHEN generate checks and runs THEN bootstrap's files are neither drift nor rewritten
    const check = await runInProcess(copy.root, ['generate', '--check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect((await runInProcess(copy.root, ['generate'])).code).toBe(0);
    for (const [path, content] of Object.entries(bootstrap)) expect(readFileSync(join(copy.root, path), 'utf8')).toBe(content);
    // WHEN the cluster's last overlay is removed THEN its thanos-ha/ folder goes, bootstrap's files stay
    const removed = await runInProcess(copy.root, ['remove-overlay', 'staging-gcs']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(join(copy.root, 'clusters/lonely-1/thanos-ha'))).toBe(false);
    for (const [path, content] of Object.entries(bootstrap)) expect(readFileSync(join(copy.root, path), 'utf8')).toBe(content);
  });
});
