import { clusterCollision } from './cluster-collision.js';
import { crossSetTable } from '../testing/cross-set-cases.js';
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
