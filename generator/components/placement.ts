import type { StackConfig } from '../model/stack.js';
import type { KubeObject } from '../../core/kube/kube-object.js';

/** Zone label every cloud provider's nodes carry (well-known label topology.kubernetes.io/zone). */
export const ZONE_KEY = 'topology.kubernetes.io/zone';

interface PodTemplated {
  spec: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template: { spec: Record<string, unknown> };
  };
}

/**
 * The stack's placement on one workload: every pod gets `priorityClassName`; every StatefulSet
 * with more than one replica spreads over zones (maxSkew 1), beside its hostname anti-affinity.
 * ScheduleAnyway: a cluster with one zone, or a volume bound to a zone, still schedules the pod;
 * the scheduler only prefers the spread. Applied once here rather than in each component, so a
 * component added later is placed like the rest.
 */
export function withPlacement(stack: StackConfig, object: KubeObject): KubeObject {
  const { zoneSpread, priorityClassName } = stack.placement;
  if (!['StatefulSet', 'Deployment', 'DaemonSet'].includes(object.kind)) return object;
  const workload = object as unknown as PodTemplated;
  const podSpec = workload.spec.template.spec;
  if (priorityClassName) podSpec.priorityClassName = priorityClassName;
  const matchLabels = workload.spec.selector?.matchLabels;
  if (zoneSpread && object.kind === 'StatefulSet' && (workload.spec.replicas ?? 1) > 1 && matchLabels) {
    // Each StatefulSet's own pods: the replicas of one shard or hashring are what must survive a zone.
    podSpec.topologySpreadConstraints = [
      { maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels } },
    ];
  }
  return object;
}
