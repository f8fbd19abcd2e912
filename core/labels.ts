/** Name of the tool, written into every generated file header and the `part-of` label. */
export const PART_OF = 'thanos-ha';

export type Labels = Record<string, string>;

/** Identifies one component of one stack instance. */
export interface ComponentIdentity {
  /** `app.kubernetes.io/name`, the program: "prometheus", "thanos-query", ... */
  readonly name: string;
  /** `app.kubernetes.io/component`: "query-layer", "object-store-gateway", ... */
  readonly component: string;
  /** `app.kubernetes.io/instance`. */
  readonly instance: string;
  /** Image tag, only in `labels()`: a selector must never carry it (selectors are immutable). */
  readonly version: string;
}

/** Pod selector: the standard labels without the version, so an upgrade never changes it. */
export function selectorLabels(id: ComponentIdentity): Labels {
  return {
    'app.kubernetes.io/component': id.component,
    'app.kubernetes.io/instance': id.instance,
    'app.kubernetes.io/name': id.name,
  };
}

/** Every label an object of this component carries. */
export function labels(id: ComponentIdentity): Labels {
  return {
    ...selectorLabels(id),
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/version': id.version,
  };
}

/** The tag of an image reference ("quay.io/thanos/thanos:v0.42.4" -> "v0.42.4"). */
export function imageTag(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(colon + 1) : 'latest';
}

/**
 * On an overlay's Namespace: the environment profile (dev, staging, prod). Policies that are strict
 * outside dev (plain-HTTP object storage) read it; a Namespace without it counts as not dev.
 */
export const PROFILE_LABEL = 'thanos-ha.dev/profile';

/** On a Receive workload: its declared writers, comma-separated (the `receive-writers` policy reads it). */
export const WRITERS_ANNOTATION = 'thanos-ha.dev/remote-writers';

/**
 * Label naming the cluster an overlay deploys to: on the overlay's Namespace (so `check` can tell
 * which rendered objects share a cluster) and on its Argo CD Application.
 */
export const CLUSTER_NAME_LABEL = 'thanos-ha.dev/cluster';

/** Annotation on an overlay's Namespace: "<provider>:<bucket>", the bucket its components write to (readable without the registry). */
export const BUCKET_ANNOTATION = 'thanos-ha.dev/bucket';

/**
 * On a Store Gateway or Query Frontend: the cache addresses declared in the registry as external
 * (comma-separated), which `check` reports as not checked instead of failing to resolve them.
 */
export const EXTERNAL_CACHE_ANNOTATION = 'thanos-ha.dev/external-caches';

/**
 * On every object of an overlay's render (kustomize's labels transformer): the overlay it comes
 * from, so `check --file` can split concatenated renders into the sets `check --overlay` sees.
 */
export const OVERLAY_LABEL = 'thanos-ha.dev/overlay';

/** On a fleet member's Namespace: the fleet it belongs to, its observer's overlay name (docs/fleet.md). */
export const FLEET_LABEL = 'thanos-ha.dev/fleet';

/** On a fleet member's Namespace: its role, `observer`, `leaf` or `agent`. */
export const FLEET_ROLE_LABEL = 'thanos-ha.dev/fleet-role';

/**
 * On the LoadBalancer Service or TLSRoute that exposes an endpoint to other clusters: the
 * `host:port` they dial (a TLSRoute does not know its Gateway's port; a Service not its DNS name).
 */
export const EXPOSED_ADDRESS_ANNOTATION = 'thanos-ha.dev/exposed-address';
