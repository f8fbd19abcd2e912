import { THANOS_VERSION } from '../../settings/versions.js';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { Resources, StackConfig } from '../model/stack.js';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { imageTag, labels, selectorLabels, type ComponentIdentity } from '../../core/labels.js';
import {
  containerResources,
  dataVolumeClaim,
  hostnameAntiAffinity,
  httpProbes,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from '../lib/pod.js';
import type { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { hasFlag, isThanosSubcommand, referenceRelease } from '../../core/thanos/flags.js';
import { podDisruptionBudget } from '../lib/objects.js';
import { stringify } from '../../core/yaml.js';
import { CLUSTER_LABEL, DATA_SCOPE_ANNOTATION, FLEET_SCOPE, SHARD_LABEL } from '../../core/names.js';

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

/**
 * `--enable-auto-gomemlimit` where the stack asks for it and the pinned Thanos has it for the
 * subcommand: the Go heap is bounded by the container's memory limit, not found by the OOM killer.
 */
export function goMemLimitFlags(stack: StackConfig, subcommand: string): string[] {
  return stack.autoGoMemLimit &&
    isThanosSubcommand(subcommand) &&
    hasFlag(subcommand, '--enable-auto-gomemlimit', referenceRelease(THANOS_VERSION))
    ? ['--enable-auto-gomemlimit']
    : [];
}

/** One Thanos container, restricted, with probes and resources: the shape every component shares. */
export function thanosContainer(stack: StackConfig, name: string, spec: ThanosContainerSpec): IContainer {
  return {
    name,
    image: stack.thanosImage,
    args: [spec.subcommand, '--log.level=info', '--log.format=logfmt', ...goMemLimitFlags(stack, spec.subcommand), ...spec.args],
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
  /** The governing Service when shards share their component's. @default name */
  readonly serviceName?: string;
  /** The ServiceAccount when shards share their component's. @default name */
  readonly serviceAccountName?: string;
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
    spec: thanosPodSpec(spec.serviceAccountName ?? spec.name, {
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
      serviceName: spec.serviceName ?? spec.name,
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
  if (!ownClusterOnly)
    statefulSet.metadata = {
      ...statefulSet.metadata,
      annotations: { ...statefulSet.metadata?.annotations, [DATA_SCOPE_ANNOTATION]: FLEET_SCOPE },
    };
  return statefulSet;
}

/**
 * Marks one shard of a component (a Store or Compact shard, a Receive hashring's ingestors): its
 * pods and selector carry SHARD_LABEL=<shard>, so each StatefulSet owns its pods while the
 * component's Service, ServiceAccount and policies still select all of them. With replicas > 1 it
 * gets a PodDisruptionBudget of its own. Without a shard key the workload stays as built.
 */
export function shardedWorkload<W extends StatefulSet | Deployment>(
  id: ComponentIdentity,
  shard: string | undefined,
  replicas: number,
  workload: W,
): { workload: W; podDisruptionBudget?: PodDisruptionBudget } {
  const name = workload.metadata!.name!;
  if (shard === undefined) return { workload, podDisruptionBudget: replicas > 1 ? podDisruptionBudget(name, id) : undefined };
  const spec = workload.spec!;
  spec.selector = { matchLabels: { ...spec.selector!.matchLabels, [SHARD_LABEL]: shard } };
  spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, [SHARD_LABEL]: shard } };
  if (replicas <= 1) return { workload };
  const pdb = podDisruptionBudget(name, id);
  pdb.spec = { ...pdb.spec, selector: { matchLabels: { ...selectorLabels(id), [SHARD_LABEL]: shard } } };
  return { workload, podDisruptionBudget: pdb };
}

/**
 * A `--selector.relabel-config` keeping the blocks whose `label` hashes to `index` modulo `of`
 * (Prometheus' hashmod): `of` such selectors with indexes 0..of-1 keep every block exactly once.
 */
export function hashmodSelector(label: string, index: number, of: number): string {
  return stringify([
    { action: 'hashmod', source_labels: [label], target_label: 'shard', modulus: of },
    { action: 'keep', source_labels: ['shard'], regex: String(index) },
  ]);
}
