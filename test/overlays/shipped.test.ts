import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../../core/kube/validate-objects.js';
import { readRegistry } from '../../generator/model/registry-file.js';
import { OVERLAY_LABEL, POD_SECURITY_LABELS, planOverlay } from '../../generator/overlay/plan.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { fixtureRoot } from '../helpers/repo-copy.js';
import { asTemplate } from '../helpers/template-settings.js';
import { find, render, scratchRoot, writeOverlay, type Obj } from './helpers.js';

// The overlays of the tests' own registry (test/fixtures/registry/overlays.ts), generated into the
// fixture tree: a fork that changes or removes its own overlays keeps these golden files valid.
const ROOT = fixtureRoot();
const GOLDEN_DIR = join(ROOT, 'test/fixtures/overlays/golden');
const GOLDEN_SOURCE = join(import.meta.dirname, '../fixtures/overlays/golden');
const SHIPPED = ['dev-minio', 'staging-s3', 'prod-gcs', 'prod-cos', 'prod-oss'];
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', 'Namespace']);

describe("the fixture registry's overlays (one per kind of setup)", () => {
  const rendered = new Map<string, { objects: Obj[]; warnings: string; yaml: string }>();
  beforeAll(async () => {
    const results = await Promise.all(SHIPPED.map((name) => render(join(ROOT, 'overlays', name))));
    SHIPPED.forEach((name, i) => {
      rendered.set(name, results[i]);
    });
  });

  it('the fixture registry declares exactly these', () => {
    expect(readRegistry(ROOT).map((o) => o.name)).toEqual(SHIPPED);
  });

  it.each(SHIPPED)('%s renders without a warning and every object passes its schema', (name) => {
    const { objects, warnings } = rendered.get(name)!;
    expect(warnings).toBe('');
    const invalid = objects.map((o) => ({ o, r: validateAgainstSchema(o) })).filter(({ r }) => !r.ok);
    expect(invalid.map(({ o, r }) => `${o.kind}/${o.metadata.name}: ${!r.ok && r.message}`)).toEqual([]);
  });

  it.each(SHIPPED)('%s matches its golden file byte for byte (UPDATE_GOLDEN=1 refreshes)', (name) => {
    const golden = join(GOLDEN_DIR, `${name}.yaml`);
    // Recorded with the template's settings: a fork's repoURL and branch do not make it differ.
    const yaml = asTemplate(rendered.get(name)!.yaml);
    // Refreshed in the repository, not in the fixture copy the render came from.
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(join(GOLDEN_SOURCE, `${name}.yaml`), yaml);
    if (process.env.UPDATE_GOLDEN === '1') return;
    expect(yaml).toBe(readFileSync(golden, 'utf8'));
  });

  it.each(SHIPPED)('%s renders exactly the objects the component functions make for its config', (name) => {
    // GIVEN the plan's objects (component output for the overlay's stack) WHEN kustomize applies the
    // generated patches to the base THEN every object is identical, apart from what kustomize adds.
    const overlay = readRegistry(ROOT).find((o) => o.name === name)!;
    const plan = planOverlay(overlay, ROOT);
    const { objects } = rendered.get(name)!;
    const strip = (o: Obj) => {
      const copy = structuredClone(o);
      delete copy.metadata.namespace;
      if (copy.metadata.labels) delete copy.metadata.labels[OVERLAY_LABEL];
      if (copy.metadata.labels && Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
      if (copy.kind === 'ClusterRoleBinding') for (const s of copy.subjects) delete s.namespace;
      if (copy.kind === 'SealedSecret') delete copy.spec.template.metadata.namespace;
      return copy;
    };
    const key = (o: Obj) => `${o.kind}/${o.metadata.name}`;
    expect(objects.map(key).sort()).toEqual(plan.objects.map(key).sort());
    const byKey = new Map(plan.objects.map((o) => [key(o), o]));
    for (const o of objects) expect(strip(o), key(o)).toEqual(strip(byKey.get(key(o))!));
  });

  it.each(SHIPPED)('%s: Namespace enforces Pod Security "restricted" and disabled components are absent', (name) => {
    const { objects } = rendered.get(name)!;
    const overlay = readRegistry(ROOT).find((o) => o.name === name)!;
    expect(find(objects, 'Namespace', overlay.namespace).metadata.labels).toMatchObject(POD_SECURITY_LABELS);
    const plan = planOverlay(overlay, ROOT);
    const query = find(objects, 'Deployment', 'thanos-query').spec.template.spec.containers[0].args as string[];
    for (const [enabled, kind, object, label] of [
      [plan.stack.receive.enabled, 'StatefulSet', 'thanos-receive', 'receive_replica'],
      [plan.stack.ruler.enabled, 'StatefulSet', 'thanos-rule', 'rule_replica'],
      [plan.stack.queryFrontend.enabled, 'Deployment', 'thanos-query-frontend', undefined],
    ] as const) {
      expect(
        objects.some((o) => o.kind === kind && o.metadata.name === object),
        object,
      ).toBe(enabled);
      if (label) expect(query.includes(`--query.replica-label=${label}`), label).toBe(enabled);
      if (label) expect(query.find((a) => a.startsWith('--endpoint.sd-config'))!.includes(object), object).toBe(enabled);
    }
  });

  it('profiles differ where deployments differ: replicas, retention, volumes', () => {
    const objects = (name: string) => rendered.get(name)!.objects;
    const args = (name: string, sts: string) => find(objects(name), 'StatefulSet', sts).spec.template.spec.containers[0].args as string[];
    expect(find(objects('dev-minio'), 'StatefulSet', 'prometheus').spec.replicas).toBe(1);
    expect(find(objects('prod-gcs'), 'StatefulSet', 'prometheus').spec.replicas).toBe(2);
    expect(args('dev-minio', 'thanos-compact')).toContain('--retention.resolution-raw=7d');
    expect(args('prod-gcs', 'thanos-compact')).toContain('--retention.resolution-1h=5y');
    expect(objects('dev-minio').some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  it('two overlays never share a cluster-scoped name', () => {
    const names = SHIPPED.flatMap((name) =>
      rendered
        .get(name)!
        .objects.filter((o) => o.kind.startsWith('Cluster'))
        .map((o) => `${o.kind}/${o.metadata.name}`),
    );
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the namespace follows the registry', () => {
  const scratch = scratchRoot();
  const overlay: OverlayDefinition = {
    name: 'prod-gcs',
    profile: 'prod',
    provider: 'gcs',
    cluster: 'team-x',
    namespace: 'team-x-observability',
    secrets: 'external-secrets',
    bucket: 'bkt',
    writers: ['edge Prometheus agent'],
  };
  let objects: Obj[];
  let yaml: string;
  beforeAll(async () => {
    writeOverlay(scratch.root, overlay);
    ({ objects, yaml } = await render(join(scratch.root, 'overlays', overlay.name)));
  });
  afterAll(() => scratch.cleanup());

  it('hashring entries, ClusterRoleBinding subject and every namespaced object use it', () => {
    const hashring = JSON.parse(find(objects, 'ConfigMap', 'thanos-receive-hashring').data['hashrings.json']);
    expect(hashring[0].endpoints).toHaveLength(3);
    for (const endpoint of hashring[0].endpoints)
      expect(endpoint).toMatch(/^thanos-receive-\d\.thanos-receive\.team-x-observability\.svc\.cluster\.local:10901$/);
    expect(find(objects, 'ClusterRoleBinding', 'prod-gcs-prometheus-discovery').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'prometheus', namespace: 'team-x-observability' },
    ]);
    expect(find(objects, 'ClusterRoleBinding', 'prod-gcs-kube-state-metrics').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'kube-state-metrics', namespace: 'team-x-observability' },
    ]);
    // node-exporter keeps its own (privileged) namespace; everything else moves.
    for (const o of objects.filter((o) => !CLUSTER_SCOPED.has(o.kind))) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(
        o.metadata.name === 'node-exporter' ? 'node-exporter' : 'team-x-observability',
      );
    }
    expect(find(objects, 'Namespace', 'team-x-observability')).toBeDefined();
  });

  it('no other namespace is left in any string, except the Alertmanager URL the user points elsewhere', () => {
    const leftovers = yaml
      .split('\n')
      .filter((line) => /\.monitoring[.:\s]|\bmonitoring\.svc/.test(line) && !line.includes('alertmanager'));
    expect(leftovers).toEqual([]);
  });
});
