import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/repo-copy.js';
import { gitopsFiles } from '../../generator/gitops/files.js';
import { GITOPS } from '../../generator/gitops/settings.js';
import { validateAgainstSchema } from '../../generator/schema.js';

const overlays = [
  { name: 'prod-oss', namespace: 'monitoring-prod', secrets: 'external-secrets' },
  { name: 'dev-sops', namespace: 'monitoring-dev', secrets: 'sops' },
];
const files = gitopsFiles(overlays);
const docs = (path: string) => parseAllDocuments(files.find((f) => f.path === path)!.content).map((d) => d.toJS());

describe('Argo CD and Flux manifests', () => {
  it('every document validates against the Argo CD and Flux schemas', () => {
    const objects = files.filter((f) => !f.path.endsWith('kustomization.yaml')).flatMap((f) => docs(f.path));
    expect(objects.length).toBe(7); // 2 Applications, 1 ApplicationSet, 2 x (GitRepository + Kustomization)
    for (const o of objects) expect(validateAgainstSchema(o), `${o.kind} ${o.metadata.name}`).toEqual({ ok: true });
  });
  it('an Application per overlay syncs its path into its namespace with prune and self-heal', () => {
    const [app] = docs('gitops/argocd/applications/prod-oss.yaml');
    expect(app.spec.source).toEqual({ repoURL: GITOPS.repoURL, targetRevision: 'main', path: 'overlays/prod-oss' });
    expect(app.spec.destination.namespace).toBe('monitoring-prod');
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true']));
  });
  it('one ApplicationSet with a Git directories generator over overlays/*', () => {
    const [set] = docs('gitops/argocd/applicationset.yaml');
    expect(set.spec.generators[0].git.directories).toEqual([{ path: 'overlays/*' }]);
    expect(set.spec.template.spec.source.path).toBe('{{.path.path}}');
  });
  it('Flux decrypts exactly the SOPS overlays', () => {
    const [source, sops] = docs('gitops/flux/dev-sops.yaml');
    expect(source.kind).toBe('GitRepository');
    expect(sops.spec).toMatchObject({ prune: true, wait: true, interval: '10m', timeout: '10m', path: './overlays/dev-sops' });
    expect(sops.spec.decryption).toEqual({ provider: 'sops', secretRef: { name: 'sops-age' } });
    const [, plain] = docs('gitops/flux/prod-oss.yaml');
    expect(plain.spec.decryption).toBeUndefined();
    expect(plain.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1');
  });
  it('the placeholder repository URL says it must be changed', () => {
    expect(GITOPS.repoURL).toContain('CHANGE-ME');
  });
});

describe('Grafana datasource per overlay', () => {
  const render = (overlay: string) =>
    parseAllDocuments(execFileSync('kubectl', ['kustomize', join(REPO_ROOT, 'overlays', overlay)], { encoding: 'utf8' })).map((d) => d.toJS());
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
    expect(namespace.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
  });
});
