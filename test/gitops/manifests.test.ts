import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { fixtureRoot } from '../helpers/repo-copy.js';
import { gitopsFiles } from '../../generator/gitops/files.js';
import type { GitOpsSettings } from '../../settings/gitops.js';
import { validateAgainstSchema } from '../../core/kube/validate-objects.js';

const overlays = [
  { name: 'prod-oss', cluster: 'prod-eu-1', namespace: 'monitoring-prod', secrets: 'external-secrets' },
  { name: 'prod-gcs', cluster: 'prod-us-1', namespace: 'monitoring-prod', secrets: 'external-secrets' },
  { name: 'qa-gcs', cluster: 'prod-us-1', namespace: 'monitoring-qa', secrets: 'external-secrets' },
  { name: 'dev-sops', cluster: 'laptop', namespace: 'monitoring-dev', secrets: 'sops', argocdInCluster: true },
];
// The tests' own settings (the template's defaults), never the fork's settings/gitops.ts.
const GITOPS: GitOpsSettings = {
  repoURL: 'https://git.example.com/CHANGE-ME/thanos-ha-gitops.git',
  branch: 'main',
  argocd: { namespace: 'argocd', project: 'default' },
  flux: { namespace: 'flux-system', sourceInterval: '5m', interval: '10m', timeout: '10m', sopsSecret: 'sops-age' },
};
const files = gitopsFiles(overlays, GITOPS);
const docsIn = (list: typeof files, path: string) => {
  const file = list.find((f) => f.path === path);
  if (!file) throw new Error(`${path} is not generated; generated: ${list.map((f) => f.path).join(', ')}`);
  return parseAllDocuments(file.content).map((d) => d.toJS());
};
const docs = (path: string) => docsIn(files, path);

/**
 * What the ApplicationSet controller does with goTemplate and missingkey=error, for the only
 * template form the generator emits ({{.key}}): every string field of the template is expanded with
 * the element's values; a key the element lacks is an error, as Go's text/template reports it.
 */
function expandGoTemplate(template: unknown, element: Record<string, unknown>): unknown {
  if (typeof template === 'string') {
    return template.replace(/\{\{(.*?)\}\}/g, (_, expression: string) => {
      const key = /^\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(expression)?.[1];
      if (!key) throw new Error(`unsupported template expression {{${expression}}}`);
      if (!(key in element)) throw new Error(`template: executing at <.${key}>: map has no entry for key "${key}"`);
      return String(element[key]);
    });
  }
  if (Array.isArray(template)) return template.map((item) => expandGoTemplate(item, element));
  if (typeof template === 'object' && template !== null) {
    return Object.fromEntries(
      Object.entries(template).map(([k, v]) => [expandGoTemplate(k, element) as string, expandGoTemplate(v, element)]),
    );
  }
  return template;
}

describe('Argo CD and Flux manifests', () => {
  it('every document validates against the Argo CD and Flux schemas', () => {
    const objects = files.filter((f) => !f.path.endsWith('kustomization.yaml')).flatMap((f) => docs(f.path));
    // 4 Applications, 1 ApplicationSet, 4 Flux Kustomizations
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'Application',
      'Application',
      'Application',
      'Application',
      'ApplicationSet',
      'Kustomization',
      'Kustomization',
      'Kustomization',
      'Kustomization',
    ]);
    for (const o of objects) expect(validateAgainstSchema(o), `${o.kind} ${o.metadata.name}`).toEqual({ ok: true });
  });

  it('an Application per overlay deploys its path to its own cluster and namespace, with prune and self-heal', () => {
    for (const overlay of overlays) {
      const [app] = docs(`gitops/argocd/applications/${overlay.name}.yaml`);
      expect(app.spec.source).toEqual({ repoURL: GITOPS.repoURL, targetRevision: 'main', path: `overlays/${overlay.name}` });
      expect(app.metadata.labels['thanos-ha.dev/cluster']).toBe(overlay.cluster);
      // GIVEN an overlay that says Argo CD runs in its cluster THEN (and only then) the in-cluster server
      expect(app.spec.destination).toEqual(
        overlay.argocdInCluster
          ? { server: 'https://kubernetes.default.svc', namespace: overlay.namespace }
          : { name: overlay.cluster, namespace: overlay.namespace },
      );
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(app.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true']));
      // argo-cd types.go:1544-1551 at v3.5.1: limit 0 (the default) retries nothing.
      expect(app.spec.syncPolicy.retry).toEqual({ limit: 5, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } });
    }
  });

  it('Argo CD mode: the Applications (default) and the ApplicationSet are in separate folders, so no one apply takes both', () => {
    const kindsUnder = (prefix: string) =>
      new Set(
        files
          .filter((f) => f.path.startsWith(prefix) && !f.path.endsWith('kustomization.yaml'))
          .flatMap((f) => docs(f.path).map((d) => d.kind)),
      );
    expect(kindsUnder('gitops/argocd/')).toEqual(new Set(['Application']));
    expect(kindsUnder('gitops/argocd-applicationset/')).toEqual(new Set(['ApplicationSet']));
    const [listing] = docs('gitops/argocd/applications/kustomization.yaml');
    expect(listing.resources).toEqual(overlays.map((o) => `${o.name}.yaml`).sort());
  });

  describe('the ApplicationSet', () => {
    const [set] = docs('gitops/argocd-applicationset/applicationset.yaml');
    const elements: Record<string, unknown>[] = set.spec.generators[0].list.elements;

    it('is a list generator from the registry, rendered with missingkey=error', () => {
      expect(set.spec.generators).toHaveLength(1);
      expect(set.spec.goTemplate).toBe(true);
      expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
      expect(elements.map((e) => e.name)).toEqual(overlays.map((o) => o.name).sort());
      expect(JSON.stringify(set.spec.template)).not.toContain('kubernetes.default.svc');
    });

    it("expands through its template into one valid Application per overlay, with that overlay's destination", () => {
      const apps = elements.map(
        (element): Record<string, any> => ({
          ...(expandGoTemplate(set.spec.template, element) as object),
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
        }),
      );
      expect(apps.map((a) => a.metadata.name)).toEqual(overlays.map((o) => `thanos-ha-${o.name}`).sort());
      for (const overlay of overlays) {
        const app = apps.find((a) => a.metadata.name === `thanos-ha-${overlay.name}`)!;
        expect(validateAgainstSchema({ ...app, metadata: { ...app.metadata, namespace: 'argocd' } })).toEqual({ ok: true });
        // Argo CD registers the cluster it runs in as "in-cluster": the same server as the Application's.
        expect(app.spec.destination).toEqual({
          name: overlay.argocdInCluster ? 'in-cluster' : overlay.cluster,
          namespace: overlay.namespace,
        });
        const [single] = docs(`gitops/argocd/applications/${overlay.name}.yaml`);
        expect(app.spec.source).toEqual(single.spec.source);
        expect(app.spec.syncPolicy).toEqual(single.spec.syncPolicy);
        expect(app.metadata.labels).toEqual(single.metadata.labels);
      }
    });

    it('fails on an element that lacks a key the template reads', () => {
      const { destination: _, ...incomplete } = elements[0];
      expect(() => expandGoTemplate(set.spec.template, incomplete)).toThrow(/map has no entry for key "destination"/);
    });
  });

  describe('Flux: clusters/<cluster>/thanos-ha/', () => {
    it("one folder per cluster with a Flux Kustomization per overlay of that cluster, from bootstrap's GitRepository", () => {
      const clusters = [...new Set(overlays.map((o) => o.cluster))].sort();
      const written = files
        .filter((f) => f.path.startsWith('clusters/'))
        .map((f) => f.path)
        .sort();
      expect(written).toEqual(
        clusters
          .flatMap((c) => [
            ...overlays.filter((o) => o.cluster === c).map((o) => `clusters/${c}/thanos-ha/${o.name}.yaml`),
            `clusters/${c}/thanos-ha/kustomization.yaml`,
          ])
          .sort(),
      );
      for (const overlay of overlays) {
        const [k] = docs(`clusters/${overlay.cluster}/thanos-ha/${overlay.name}.yaml`);
        expect(k.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1');
        expect(k.metadata.namespace).toBe('flux-system');
        expect(k.spec).toMatchObject({
          prune: true,
          wait: true,
          // No rollout bound given: the settings' 10m timeout, and the interval raised past it (rollout.test.ts).
          interval: '15m',
          timeout: '10m',
          path: `./overlays/${overlay.name}`,
          sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        });
      }
    });

    it('never writes what flux bootstrap owns, and no file applies overlays of two clusters', () => {
      expect(files.filter((f) => /^clusters\/[^/]+\/kustomization\.yaml$/.test(f.path) || f.path.includes('/flux-system/'))).toEqual([]);
      expect(files.some((f) => f.path.startsWith('gitops/flux'))).toBe(false);
      for (const file of files.filter((f) => f.path.startsWith('clusters/') && f.path.endsWith('/kustomization.yaml'))) {
        const cluster = file.path.split('/')[1];
        const listed: string[] = docs(file.path)[0].resources;
        expect(listed.map((r) => overlays.find((o) => `${o.name}.yaml` === r)?.cluster)).toEqual(listed.map(() => cluster));
      }
    });

    it('decrypts exactly the SOPS overlays', () => {
      const [sops] = docs('clusters/laptop/thanos-ha/dev-sops.yaml');
      expect(sops.spec.decryption).toEqual({ provider: 'sops', secretRef: { name: 'sops-age' } });
      const [plain] = docs('clusters/prod-eu-1/thanos-ha/prod-oss.yaml');
      expect(plain.spec.decryption).toBeUndefined();
    });

    it('a separate GitRepository, with its secretRef, where the settings ask for one', () => {
      const settings = { ...GITOPS, flux: { ...GITOPS.flux, gitRepository: { name: 'thanos-ha', secretRef: 'thanos-ha-deploy-key' } } };
      const separate = gitopsFiles(overlays, settings);
      const [source] = docsIn(separate, 'clusters/prod-us-1/thanos-ha/gitrepository.yaml');
      expect(validateAgainstSchema(source)).toEqual({ ok: true });
      expect(source.spec).toEqual({
        interval: '5m',
        url: GITOPS.repoURL,
        ref: { branch: 'main' },
        secretRef: { name: 'thanos-ha-deploy-key' },
      });
      const [k] = docsIn(separate, 'clusters/prod-us-1/thanos-ha/qa-gcs.yaml');
      expect(k.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'thanos-ha' });
      expect(docsIn(separate, 'clusters/prod-us-1/thanos-ha/kustomization.yaml')[0].resources).toEqual([
        'gitrepository.yaml',
        'prod-gcs.yaml',
        'qa-gcs.yaml',
      ]);
    });

    it("each folder renders with kubectl kustomize into exactly its overlays' Kustomizations", () => {
      const root = mkdtempSync(join(tmpdir(), 'thanos-ha-clusters-'));
      try {
        for (const file of files.filter((f) => f.path.startsWith('clusters/'))) {
          mkdirSync(dirname(join(root, file.path)), { recursive: true });
          writeFileSync(join(root, file.path), file.content);
        }
        for (const cluster of new Set(overlays.map((o) => o.cluster))) {
          const yaml = execFileSync('kubectl', ['kustomize', join(root, 'clusters', cluster, 'thanos-ha')], { encoding: 'utf8' });
          const rendered = parseAllDocuments(yaml).map((d) => d.toJS());
          expect(rendered.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
            overlays
              .filter((o) => o.cluster === cluster)
              .map((o) => `Kustomization/thanos-ha-${o.name}`)
              .sort(),
          );
          for (const o of rendered) expect(validateAgainstSchema(o)).toEqual({ ok: true });
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});

describe('Grafana datasource per overlay', () => {
  const render = (overlay: string) =>
    parseAllDocuments(execFileSync('kubectl', ['kustomize', join(fixtureRoot(), 'overlays', overlay)], { encoding: 'utf8' })).map((d) =>
      d.toJS(),
    );
  it.each([
    ['prod-oss', 'http://thanos-query-frontend.monitoring-prod.svc.cluster.local:9090'],
    // dev runs no Query Frontend: the datasource points at Query itself.
    ['dev-minio', 'http://thanos-query.monitoring-dev.svc.cluster.local:9090'],
  ])('%s: a provisioning ConfigMap in its namespace pointing at its query Service', (overlay, url) => {
    const objects = render(overlay);
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'thanos-ha-grafana-datasource');
    const namespace = objects.find((o) => o.kind === 'Namespace');
    expect(configMap.metadata.labels.grafana_datasource).toBe('1');
    expect(configMap.metadata.namespace).toBe(namespace.metadata.name);
    const provisioning = parse(Object.values(configMap.data as Record<string, string>)[0]);
    expect(provisioning.datasources[0]).toMatchObject({ type: 'prometheus', url, jsonData: { prometheusType: 'Thanos' } });
    // The Service it names exists in the render, with the port in the URL.
    const [, host, port] = /^http:\/\/([^.]+)\.[^:]+:(\d+)$/.exec(url)!;
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === host);
    expect(service.spec.ports.map((p: { port: number }) => p.port)).toContain(Number(port));
  });
  it('every overlay Namespace is protected from Argo CD and Flux prune', () => {
    const namespace = render('prod-oss').find((o) => o.kind === 'Namespace');
    expect(namespace.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/sync-options': 'Prune=false',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
  });
});
