import { describe, expect, it } from 'vitest';
import { clusterCollision } from './cluster-collision.js';
import { crossSetTable } from '../testing/cross-set-cases.js';
import { diagnose } from '../testing/rule-cases.js';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';

/** One overlay as rendered: its Namespace (with the cluster label the generator stamps), a StatefulSet, a Secret and a ClusterRole. */
const overlay = (opts: { cluster?: string; namespace: string; clusterRole: string }) =>
  yamlOf(
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: opts.namespace, labels: opts.cluster ? { 'thanos-ha.dev/cluster': opts.cluster } : {} },
    },
    workload({ kind: 'StatefulSet', name: 'prometheus', namespace: opts.namespace, containers: [goodContainer()] }),
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'thanos-objstore', namespace: opts.namespace } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: opts.clusterRole }, rules: [] },
  );

// Within one set there is nothing to find (kustomize itself refuses two objects with one identity): every case is across overlays.
crossSetTable(clusterCollision, [
  {
    name: 'passes: one namespace in two clusters; two namespaces in one cluster; a set that names no cluster',
    sets: {
      'prod-a': overlay({ cluster: 'eu-1', namespace: 'mon', clusterRole: 'prod-a-discovery' }),
      'prod-b': overlay({ cluster: 'us-1', namespace: 'mon', clusterRole: 'prod-b-discovery' }),
      'qa-b': overlay({ cluster: 'us-1', namespace: 'mon-qa', clusterRole: 'qa-b-discovery' }),
      unlabelled: overlay({ namespace: 'mon', clusterRole: 'prod-a-discovery' }),
    },
    expect: {},
  },
  {
    name: 'fails: two overlays on one cluster and namespace; two overlays with one cluster-scoped name on one cluster',
    sets: {
      'prod-a': overlay({ cluster: 'eu-1', namespace: 'mon', clusterRole: 'prod-a-discovery' }),
      'prod-b': overlay({ cluster: 'eu-1', namespace: 'mon', clusterRole: 'prod-b-discovery' }),
      'qa-a': overlay({ cluster: 'us-1', namespace: 'mon-qa', clusterRole: 'shared-discovery' }),
      'qa-b': overlay({ cluster: 'us-1', namespace: 'mon-qa-b', clusterRole: 'shared-discovery' }),
    },
    expect: {
      'prod-a Namespace/mon': [
        /error: overlay prod-a and overlay prod-b both deploy to namespace mon of cluster eu-1: StatefulSet\/prometheus, Secret\/thanos-objstore would be overwritten by whichever syncs last/,
      ],
      'prod-b Namespace/mon': [/error: overlay prod-b and overlay prod-a both deploy to namespace mon of cluster eu-1/],
      'qa-a ClusterRole/shared-discovery': [
        /error: overlay qa-a and overlay qa-b both deploy ClusterRole\/shared-discovery to cluster us-1; whichever syncs last overwrites/,
      ],
      'qa-b ClusterRole/shared-discovery': [/overlay qa-b and overlay qa-a both deploy ClusterRole\/shared-discovery to cluster us-1/],
    },
  },
]);

describe('cluster-collision (mutation)', () => {
  const ns = (name: string, cluster?: string) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: cluster ? { 'thanos-ha.dev/cluster': cluster } : {} },
  });
  const object = (kind: string, name: string, namespace: string) => ({ apiVersion: 'v1', kind, metadata: { name, namespace } });
  /** The Services of a full stack, in namespace `namespace`: the overwritten objects a finding lists. */
  const services = (namespace: string, names: readonly string[]) => names.map((n) => object('Service', n, namespace));

  it('is named after its file, with its description and remediation as sentences (docs/policies.md and suppressions read them)', () => {
    expect(clusterCollision.id).toBe('cluster-collision');
    expect(clusterCollision.description).toMatch(/^No two overlays deploy the same namespace .*\.$/s);
    expect(clusterCollision.remediation).toMatch(/^Give each overlay on a cluster a namespace of its own.*\.$/s);
  });

  it('reports nothing within one rendered set: there kustomize itself refuses two objects with one identity', () => {
    // One set holding two overlays' worth of objects in one namespace: the within-set check leaves it to kustomize.
    const yaml = yamlOf(ns('mon', 'eu-1'), ...services('mon', ['thanos-query', 'thanos-store']), ns('mon-qa', 'eu-1'));
    expect(diagnose(clusterCollision, yaml)).toEqual({});
  });

  crossSetTable(clusterCollision, [
    {
      name: 'passes: two hand-written sets without the cluster label on one namespace (nothing tells whether they share a cluster)',
      sets: {
        'team-a': yamlOf(ns('mon'), ...services('mon', ['thanos-query'])),
        'team-b': yamlOf(ns('mon'), ...services('mon', ['thanos-query'])),
      },
      expect: {},
    },
    {
      name: 'fails: two overlays on one namespace that share no object name: the namespace alone (pruning one deletes the other), nothing listed',
      sets: {
        'prod-a': yamlOf(ns('mon', 'eu-1'), ...services('mon', ['a-query'])),
        'prod-b': yamlOf(ns('mon', 'eu-1'), ...services('mon', ['b-query'])),
      },
      expect: {
        'prod-a Namespace/mon': [/^error: overlay prod-a and overlay prod-b both deploy to namespace mon of cluster eu-1$/],
        'prod-b Namespace/mon': [/^error: overlay prod-b and overlay prod-a both deploy to namespace mon of cluster eu-1$/],
      },
    },
    {
      name: 'fails: four overwritten objects are all listed; five are listed as four and 1 more',
      sets: {
        'prod-a': yamlOf(ns('mon', 'eu-1'), ...services('mon', ['q', 'qf', 'store', 'compact'])),
        'prod-b': yamlOf(ns('mon', 'eu-1'), ...services('mon', ['q', 'qf', 'store', 'compact'])),
        'qa-a': yamlOf(ns('mon', 'us-1'), ...services('mon', ['q', 'qf', 'store', 'compact', 'rule'])),
        'qa-b': yamlOf(ns('mon', 'us-1'), ...services('mon', ['q', 'qf', 'store', 'compact', 'rule'])),
      },
      expect: {
        'prod-a Namespace/mon': [
          /^error: overlay prod-a and overlay prod-b both deploy to namespace mon of cluster eu-1: Service\/q, Service\/qf, Service\/store, Service\/compact would be overwritten by whichever syncs last$/,
        ],
        'prod-b Namespace/mon': [
          /^error: overlay prod-b and overlay prod-a .*: Service\/q, Service\/qf, Service\/store, Service\/compact would be/,
        ],
        'qa-a Namespace/mon': [
          /^error: overlay qa-a and overlay qa-b both deploy to namespace mon of cluster us-1: Service\/q, Service\/qf, Service\/store, Service\/compact and 1 more would be overwritten by whichever syncs last$/,
        ],
        'qa-b Namespace/mon': [
          /^error: overlay qa-b and overlay qa-a .*: Service\/q, Service\/qf, Service\/store, Service\/compact and 1 more would be/,
        ],
      },
    },
    {
      // kustomize `sortOptions: {order: fifo}` keeps the resources' order, so the Namespace need not come first.
      name: 'fails: the finding sits on the Namespace even where the render lists it after the workloads; a shared namespace without a Namespace object of the set is reported on its first object',
      sets: {
        'prod-a': yamlOf(...services('mon', ['thanos-query']), ns('mon', 'eu-1'), object('Role', 'prod-a-psp', 'kube-system')),
        'prod-b': yamlOf(...services('mon', ['thanos-query']), ns('mon', 'eu-1'), object('Role', 'prod-b-psp', 'kube-system')),
      },
      expect: {
        'prod-a Namespace/mon': [
          /^error: overlay prod-a and overlay prod-b both deploy to namespace mon of cluster eu-1: Service\/thanos-query/,
        ],
        'prod-b Namespace/mon': [/^error: overlay prod-b and overlay prod-a both deploy to namespace mon /],
        'prod-a Role/prod-a-psp': [/^error: overlay prod-a and overlay prod-b both deploy to namespace kube-system of cluster eu-1$/],
        'prod-b Role/prod-b-psp': [/^error: overlay prod-b and overlay prod-a both deploy to namespace kube-system of cluster eu-1$/],
      },
    },
  ]);
});
