import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderKustomize } from '../../core/kube/kubectl.js';
import { overlayStack } from '../../generator/model/overlay-stack.js';
import { readRegistry } from '../../generator/model/registry-file.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { validateRegistry } from '../../generator/model/validate-overlay.js';
import { validateStack } from '../../generator/model/validate-stack.js';
import { REPO_ROOT } from '../helpers/repo-copy.js';

const entry = (name: string, fields: Partial<OverlayDefinition> = {}): OverlayDefinition => ({
  name,
  profile: 'staging',
  provider: 'gcs',
  cluster: name,
  namespace: 'monitoring',
  secrets: 'external-secrets',
  bucket: `b-${name}`,
  ...fields,
});

describe('the registry cluster field', () => {
  it.each<[string, OverlayDefinition[], RegExp]>([
    [
      'a missing cluster',
      [{ ...entry('staging-gcs'), cluster: undefined } as unknown as OverlayDefinition],
      /overlay 'staging-gcs': missing field 'cluster': the cluster this overlay deploys to, a DNS label \(e\.g\. cluster: 'staging-gcs'\)/,
    ],
    [
      'a cluster that is not a DNS label',
      [entry('staging-gcs', { cluster: 'EU_1' })],
      /overlay 'staging-gcs': cluster 'EU_1' is not a DNS label: it contains uppercase letters/,
    ],
    [
      'a cluster that is not a string',
      [entry('staging-gcs', { cluster: 7 as unknown as string })],
      /overlay 'staging-gcs': 'cluster' must be a string/,
    ],
    [
      'argocdInCluster that is not a boolean',
      [entry('staging-gcs', { argocdInCluster: 'yes' as unknown as boolean })],
      /overlay 'staging-gcs': 'argocdInCluster' must be true or false/,
    ],
    [
      'a system namespace',
      [entry('staging-gcs', { namespace: 'kube-system' })],
      /overlay 'staging-gcs': namespace 'kube-system' belongs to Kubernetes itself/,
    ],
    [
      'a GitOps controller namespace',
      [entry('staging-gcs', { namespace: 'flux-system' })],
      /overlay 'staging-gcs': namespace 'flux-system' belongs to the GitOps controllers/,
    ],
    [
      'two overlays on one cluster and namespace',
      [entry('staging-gcs', { cluster: 'c1' }), entry('prod-gcs', { profile: 'prod', cluster: 'c1' })],
      /overlays 'staging-gcs' and 'prod-gcs' both deploy to namespace 'monitoring' of cluster 'c1'; .*Give one of them another cluster or namespace\./,
    ],
    [
      'a cluster label with a quote',
      [entry('staging-gcs', { overrides: { prometheus: { clusterLabel: 'a"b' } } })],
      /prometheus\.clusterLabel/,
    ],
  ])('refuses %s, naming the overlay and the field', (_, overlays, message) => {
    // The stack config (where a label override lands) is validated with the overlay's plan, as generate does.
    expect(() => {
      validateRegistry(overlays);
      for (const overlay of overlays) validateStack(overlayStack(overlay));
    }).toThrow(message);
  });

  it('accepts two overlays on one cluster in different namespaces, and one overlay per cluster in the same namespace', () => {
    const second = entry('prod-gcs', { profile: 'prod', cluster: 'c1', namespace: 'other', components: { nodeExporter: false } });
    expect(() => validateRegistry([entry('staging-gcs', { cluster: 'c1' }), second, entry('dev-gcs', { profile: 'dev' })])).not.toThrow();
  });

  it('derives the cluster label from the cluster, and an override wins everywhere', () => {
    expect(overlayStack(entry('staging-gcs', { cluster: 'eu-1' })).prometheus.clusterLabel).toBe('eu-1');
    expect(
      overlayStack(entry('staging-gcs', { cluster: 'eu-1', overrides: { prometheus: { clusterLabel: 'europe' } } })).prometheus
        .clusterLabel,
    ).toBe('europe');
  });
});

/** Properties of whatever the live registry holds: no entry is named here, so a fork's registry is tested as it is. */
describe('every overlay of the live registry is one cluster', () => {
  const registry = readRegistry(REPO_ROOT);

  it('deploys to a distinct (cluster, namespace) pair', () => {
    const places = registry.map((o) => `${o.cluster}/${o.namespace}`);
    expect(new Set(places).size).toBe(places.length);
  });

  it('renders its cluster label on Prometheus, and on each Ruler and Receive that serves only its cluster; distinct per cluster', async () => {
    const labelOf = new Map<string, string>();
    await Promise.all(
      registry.map(async (overlay) => {
        const { yaml } = await renderKustomize(join(REPO_ROOT, 'overlays', overlay.name));
        const objects = parseAllDocuments(yaml).map((d) => d.toJS());
        const stack = overlayStack(overlay);
        const expected = stack.prometheus.clusterLabel;
        const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-config');
        const template = parseAllDocuments(Object.values(config.data as Record<string, string>)[0])[0].toJS();
        expect(template.global.external_labels.cluster, overlay.name).toBe(expected);
        for (const [component, own] of [
          ['thanos-rule', stack.ruler],
          ['thanos-receive', stack.receive],
        ] as const) {
          const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === component);
          if (!sts) continue;
          const args: string[] = sts.spec.template.spec.containers[0].args;
          expect(
            args.filter((a) => a.startsWith('--label=cluster=')),
            `${overlay.name} ${component}`,
          ).toEqual(own.ownClusterOnly ? [`--label=cluster="${expected}"`] : []);
        }
        const namespace = objects.find((o) => o.kind === 'Namespace');
        expect(namespace.metadata.labels['thanos-ha.dev/cluster']).toBe(overlay.cluster);
        labelOf.set(overlay.name, expected);
      }),
    );
    // Overlays of different clusters never render the same cluster label (unless an override says so on purpose).
    for (const a of registry) {
      for (const b of registry) {
        if (
          a.name < b.name &&
          a.cluster !== b.cluster &&
          !a.overrides?.prometheus?.clusterLabel &&
          !b.overrides?.prometheus?.clusterLabel
        ) {
          expect(labelOf.get(a.name), `${a.name} vs ${b.name}`).not.toBe(labelOf.get(b.name));
        }
      }
    }
  });
});
