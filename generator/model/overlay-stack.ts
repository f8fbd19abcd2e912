import { DEFAULT_STACK, mergeStack, type StackConfig } from './stack.js';
import { PROFILE_DEFINITIONS } from '../../settings/profiles.js';
import { objstoreEgress } from './providers.js';
import { roleOf, roleOverrides } from './fleet.js';
import { kubeletSkipsVerification, platformOf } from './platforms.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';

export { PROFILE_DEFINITIONS, type Profile } from '../../settings/profiles.js';

/**
 * The overlay's whole stack: defaults, then the profile, then the overlay's own component switches
 * and overrides. The namespace stays the base's: kustomize moves the objects, and the two values that
 * embed a namespace literally (hashring, ClusterRoleBinding subject) are handled by the overlay plan.
 */
export function overlayStack(overlay: OverlayDefinition): StackConfig {
  // What the overlay's role in a fleet runs comes after the profile, before the entry's own switches.
  const profiled = mergeStack(mergeStack(DEFAULT_STACK, PROFILE_DEFINITIONS[overlay.profile].stack), roleOverrides(roleOf(overlay)));
  const c = overlay.components ?? {};
  const egress = objstoreEgress(overlay);
  const switched = mergeStack(profiled, {
    // The cluster label comes from the registry's cluster; overrides.prometheus.clusterLabel still wins.
    // Kubelet TLS follows the cluster's platform; overrides.prometheus.kubeletInsecureSkipVerify still wins.
    prometheus: { clusterLabel: overlay.cluster, kubeletInsecureSkipVerify: kubeletSkipsVerification(platformOf(overlay)) },
    // Receive runs where the registry names its writers, whatever the profile (unless switched off).
    receive: { enabled: c.receive ?? (overlay.writers ?? []).length > 0, writers: [...(overlay.writers ?? [])] },
    ruler: c.ruler === undefined ? undefined : { enabled: c.ruler },
    queryFrontend: c.queryFrontend === undefined ? undefined : { enabled: c.queryFrontend },
    nodeExporter: c.nodeExporter === undefined ? undefined : { enabled: c.nodeExporter },
    kubeStateMetrics: c.kubeStateMetrics === undefined ? undefined : { enabled: c.kubeStateMetrics },
    // Egress follows the object store the overlay uses, not a list of every port a store might use.
    networkPolicies: {
      objstorePorts: egress.ports,
      credentialEndpoints: egress.credentialEndpoints.map(({ cidr, port }) => ({ cidr, port })),
    },
  });
  // An external Alertmanager replaces the stack's own; its address is required (validateOverlay).
  const external = overlay.alertmanager?.external;
  const routed = external ? mergeStack(switched, { alertmanager: { enabled: false, externalUrls: external.urls } }) : switched;
  const linked = overlay.queryUrl ? mergeStack(routed, { queryUrl: overlay.queryUrl }) : routed;
  return { ...mergeStack(linked, overlay.overrides ?? {}), namespace: DEFAULT_STACK.namespace };
}
