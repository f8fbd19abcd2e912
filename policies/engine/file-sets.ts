import { CLUSTER_NAME_LABEL, OVERLAY_LABEL } from '../../core/labels.js';
import { asRecord } from '../lib/model.js';
import type { InputObject } from '../lib/types.js';

/** The set `--file` input falls into when nothing in it says which render an object belongs to. */
export const DEFAULT_FILE_SET = 'files';

export interface FileSet {
  readonly name: string;
  readonly inputs: InputObject[];
}

function labelOf(input: InputObject, key: string): string | undefined {
  const value = asRecord(asRecord(asRecord(input.object)?.metadata)?.labels)?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The set a Namespace stands for: the overlay it was rendered from (thanos-ha.dev/overlay), else its
 * cluster and name (thanos-ha.dev/cluster: one stack per namespace of a cluster, as the generator
 * makes them). A Namespace that says neither stands for no set of its own.
 */
function setOfNamespace(namespace: InputObject): string | undefined {
  const overlay = labelOf(namespace, OVERLAY_LABEL);
  if (overlay) return overlay;
  const cluster = labelOf(namespace, CLUSTER_NAME_LABEL);
  return cluster ? `${namespace.object.metadata.name} on cluster ${cluster}` : undefined;
}

/**
 * Splits `--file` input into the sets `check --overlay` would check one by one, so the rules across
 * sets (fleet-wiring, cluster-collision, compact-singleton, external-labels) see a fleet rendered to
 * files as they see its overlays, and each cluster's objects are judged apart (two clusters'
 * node-exporters are no duplicate). An object goes to the overlay its thanos-ha.dev/overlay label
 * names; else to its Namespace's set (the nearest one before it in the same file when several
 * clusters' renders share a namespace name); a cluster-scoped object or one whose Namespace says
 * nothing goes with the labelled Namespace before it in its file (kustomize puts Namespaces first in
 * a render). Everything else, someone else's manifests among it, stays in one set: their objects
 * may refer to each other across namespaces.
 */
export function splitFileSets(inputs: readonly InputObject[]): FileSet[] {
  const namespaces = inputs.filter((i) => !i.malformed && i.object.kind === 'Namespace' && setOfNamespace(i) !== undefined);
  const before = (input: InputObject, candidates: readonly InputObject[]) =>
    candidates.filter((n) => n.read.file === input.read.file && n.position <= input.position).at(-1);
  const setOf = (input: InputObject): string => {
    const own = labelOf(input, OVERLAY_LABEL);
    if (own) return own;
    if (input.object.kind === 'Namespace') return setOfNamespace(input) ?? DEFAULT_FILE_SET;
    const namespace = asRecord(asRecord(input.object)?.metadata)?.namespace;
    if (typeof namespace === 'string' && namespace !== '') {
      const named = namespaces.filter((n) => n.object.metadata.name === namespace);
      if (named.length > 0) return setOfNamespace(before(input, named) ?? named[0])!;
    }
    const previous = before(input, namespaces);
    return previous ? setOfNamespace(previous)! : DEFAULT_FILE_SET;
  };
  const sets = new Map<string, InputObject[]>();
  for (const input of inputs) {
    const name = setOf(input);
    const list = sets.get(name);
    if (list) list.push(input);
    else sets.set(name, [input]);
  }
  if (sets.size === 0) return [{ name: DEFAULT_FILE_SET, inputs: [] }];
  return [...sets].map(([name, list]) => ({ name, inputs: list }));
}
