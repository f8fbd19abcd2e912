import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { Resources, StackConfig } from '../config.js';
import { imageTag, type ComponentIdentity } from '../lib/labels.js';
import {
  containerResources,
  httpProbes,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from '../lib/pod.js';

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
