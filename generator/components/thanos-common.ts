import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { Resources, StackConfig } from '../config.js';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { imageTag, labels, selectorLabels, type ComponentIdentity } from '../lib/labels.js';
import {
  containerResources,
  dataVolumeClaim,
  hostnameAntiAffinity,
  httpProbes,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from '../lib/pod.js';
import { CLUSTER_LABEL, DATA_SCOPE_ANNOTATION, FLEET_SCOPE } from './names.js';

/** Identity of a Thanos component; every Thanos container runs the same image and version. */
export function thanosIdentity(stack: StackConfig, name: string, component: string): ComponentIdentity {
  return { name, component, instance: stack.instance, version: imageTag(stack.thanosImage) };
}

export interface ThanosContainerSpec {
  readonly subcommand: string;
  readonly args: readonly string[];
  readonly resources: Resources;
  readonly probePort: string;
  readonly ports: NonNullable<IContainer['ports']>;
  readonly volumeMounts?: IContainer['volumeMounts'];
  readonly env?: IContainer['env'];
}

/** One Thanos container, restricted, with probes and resources: the shape every component shares. */
export function thanosContainer(stack: StackConfig, name: string, spec: ThanosContainerSpec): IContainer {
  return {
    name,
    image: stack.thanosImage,
    args: [spec.subcommand, '--log.level=info', '--log.format=logfmt', ...spec.args],
    env: spec.env,
    ports: [...spec.ports],
    ...httpProbes(spec.probePort),
    resources: containerResources(spec.resources),
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: spec.volumeMounts,
  };
}

/** Pod spec defaults shared by Thanos components: restricted, no API token, its own ServiceAccount. */
export function thanosPodSpec(serviceAccountName: string, rest: Omit<IPodSpec, 'securityContext' | 'serviceAccountName'>): IPodSpec {
  return {
    serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurityContext(),
    terminationGracePeriodSeconds: 120,
    ...rest,
  };
}

export interface ThanosWorkloadSpec {
  /** Object, ServiceAccount and (for a StatefulSet) governing Service name. */
  readonly name: string;
  readonly id: ComponentIdentity;
  readonly replicas: number;
  readonly container: IContainer;
  /** Helpers beside the main container (a config reloader). */
  readonly sidecars?: readonly IContainer[];
  /** How replicas are spread over nodes; none for a singleton. */
  readonly antiAffinity?: 'required' | 'preferred';
  readonly volumes?: IPodSpec['volumes'];
  readonly terminationGracePeriodSeconds?: number;
}

function podTemplate(spec: ThanosWorkloadSpec) {
  return {
    metadata: { labels: labels(spec.id) },
    spec: thanosPodSpec(spec.name, {
      ...(spec.antiAffinity ? { affinity: hostnameAntiAffinity(selectorLabels(spec.id), spec.antiAffinity) } : {}),
      ...(spec.terminationGracePeriodSeconds ? { terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds } : {}),
      containers: [spec.container, ...(spec.sidecars ?? [])],
      ...(spec.volumes ? { volumes: spec.volumes } : {}),
    }),
  };
}

/**
 * A Thanos StatefulSet with a data volume per pod. Parallel pod management for peers that start
 * together; OrderedReady where two pods must never overlap (the compactor).
 */
export function thanosStatefulSet(
  spec: ThanosWorkloadSpec & { readonly storageSize: string; readonly podManagementPolicy: 'Parallel' | 'OrderedReady' },
): StatefulSet {
  return new StatefulSet({
    metadata: { name: spec.name, labels: labels(spec.id) },
    spec: {
      replicas: spec.replicas,
      serviceName: spec.name,
      podManagementPolicy: spec.podManagementPolicy,
      selector: { matchLabels: selectorLabels(spec.id) },
      template: podTemplate(spec),
      volumeClaimTemplates: [dataVolumeClaim('data', spec.storageSize)],
    },
  });
}

/** A stateless Thanos Deployment that never has fewer ready pods than asked for during a rollout. */
export function thanosDeployment(spec: ThanosWorkloadSpec): Deployment {
  return new Deployment({
    metadata: { name: spec.name, labels: labels(spec.id) },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: selectorLabels(spec.id) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: podTemplate(spec),
    },
  });
}

/**
 * The `cluster` external label of a Ruler or Receive, beside its replica label, from the one value
 * Prometheus carries too; none for one that serves other clusters' data, whose series and alerts
 * already carry their own cluster (an external label would overwrite it).
 */
export function clusterLabelFlags(stack: StackConfig, ownClusterOnly: boolean): string[] {
  return ownClusterOnly ? [`--label=${CLUSTER_LABEL}="${stack.prometheus.clusterLabel}"`] : [];
}

/** Marks a Ruler or Receive that serves other clusters too, so `check` knows its missing cluster label is meant. */
export function withDataScope(statefulSet: StatefulSet, ownClusterOnly: boolean): StatefulSet {
  if (!ownClusterOnly) statefulSet.metadata = { ...statefulSet.metadata, annotations: { ...statefulSet.metadata?.annotations, [DATA_SCOPE_ANNOTATION]: FLEET_SCOPE } };
  return statefulSet;
}
