import { clusterOfSet } from '../lib/cluster.js';
import type { Index } from '../lib/model.js';
import type { CheckedSet, CrossSetDiagnostic, InputObject, Policy } from '../lib/types.js';

/** What one rendered overlay puts into its cluster: objects per namespace, and its cluster-scoped objects. */
interface Placement {
  readonly set: string;
  readonly cluster: string;
  readonly byNamespace: ReadonlyMap<string, readonly InputObject[]>;
  readonly clusterScoped: ReadonlyMap<string, InputObject>;
}

const keyOf = (input: InputObject) => `${input.object.kind}/${input.object.metadata.name}`;

function placementOf(set: string, index: Index): Placement | undefined {
  const cluster = clusterOfSet(index);
  if (cluster === undefined) return undefined;
  const byNamespace = new Map<string, InputObject[]>();
  const clusterScoped = new Map<string, InputObject>();
  for (const input of index.inputs) {
    const { kind, metadata } = input.object;
    // kustomize gives every namespaced kind the overlay's namespace, so an object without one is cluster-scoped.
    const namespace = kind === 'Namespace' ? metadata.name : metadata.namespace;
    if (namespace === undefined) clusterScoped.set(keyOf(input), input);
    else byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), input]);
  }
  return { set, cluster, byNamespace, clusterScoped };
}

function sample(keys: readonly string[]): string {
  const shown = keys.slice(0, 4).join(', ');
  return keys.length > 4 ? `${shown} and ${keys.length - 4} more` : shown;
}

/**
 * Cluster-scoped objects: a ClusterRole, a ClusterRoleBinding. The overwritten objects include the
 * StatefulSets and the objstore Secret (a different bucket each). An overlay's cluster is the
 * `thanos-ha.dev/cluster` label the generator puts on its Namespace; sets without it are not compared.
 * Checked across the overlays of one run; `check --changed-since` adds the overlays that share a cluster
 * with a changed one.
 */
export const clusterCollision: Policy = {
  id: 'cluster-collision',
  severity: 'error',
  description:
    "No two overlays deploy the same namespace or cluster-scoped object to one cluster: whichever syncs last overwrites the other, and pruning one deletes the other's objects.",
  remediation:
    'Give each overlay on a cluster a namespace of its own (`namespace` in the registry), or move one to another cluster (`cluster`); keep cluster-scoped names per overlay (the generator prefixes them with the overlay name); run what a cluster needs once (node-exporter) in one overlay of it only (the generator gives it to the first overlay of the cluster that turns it on; `components: { nodeExporter: false }` opts one out).',
  kinds: ['Namespace'],
  // Within one rendered set kustomize itself refuses two objects with one identity; the collisions are between overlays.
  check: () => [],
  checkAcrossSets(sets: readonly CheckedSet[]) {
    const placements = sets.map((s) => placementOf(s.name, s.index)).filter((p): p is Placement => p !== undefined);
    const out: CrossSetDiagnostic[] = [];
    for (const a of placements) {
      for (const b of placements) {
        if (a.set === b.set || a.cluster !== b.cluster) continue;
        for (const [namespace, objects] of a.byNamespace) {
          const theirs = b.byNamespace.get(namespace);
          if (!theirs) continue;
          const shared = new Set(theirs.map(keyOf));
          const both = objects.map(keyOf).filter((key) => shared.has(key) && key !== `Namespace/${namespace}`);
          const at = objects.find((o) => o.object.kind === 'Namespace') ?? objects[0];
          out.push({
            set: a.set,
            input: at,
            message: `overlay ${a.set} and overlay ${b.set} both deploy to namespace ${namespace} of cluster ${a.cluster}${both.length ? `: ${sample(both)} would be overwritten by whichever syncs last` : ''}`,
          });
        }
        for (const [key, input] of a.clusterScoped) {
          if (!b.clusterScoped.has(key)) continue;
          out.push({
            set: a.set,
            input,
            message: `overlay ${a.set} and overlay ${b.set} both deploy ${key} to cluster ${a.cluster}; whichever syncs last overwrites the other's, and pruning one overlay deletes it for both`,
          });
        }
      }
    }
    return out;
  },
};
