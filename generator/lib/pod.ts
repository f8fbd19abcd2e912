import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { Resources, StackConfig } from '../model/stack.js';
import type { Labels } from '../../core/labels.js';

/** UID/GID of `nobody`: both the Thanos and the Prometheus images run as it. */
export const NOBODY = 65534;

/** Pod Security Standards "restricted" at pod level. fsGroup makes volumes writable by the non-root user. */
export function restrictedPodSecurityContext(): IPodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: NOBODY,
    runAsGroup: NOBODY,
    fsGroup: NOBODY,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod Security Standards "restricted" at container level, with a read-only root filesystem. */
export function restrictedContainerSecurityContext(): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
  };
}

export function containerResources(resources: Resources): IContainer['resources'] {
  return {
    requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
    limits: { memory: resources.memoryLimit },
  };
}

/**
 * Liveness on /-/healthy and readiness on /-/ready, which Prometheus and every Thanos component serve.
 * Liveness is lenient (a slow WAL replay or block sync must not cause a restart loop).
 */
export function httpProbes(portName: string): Pick<IContainer, 'livenessProbe' | 'readinessProbe'> {
  const probe = (path: string, failureThreshold: number, periodSeconds: number): IProbe => ({
    httpGet: { path, port: portName, scheme: 'HTTP' },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  });
  return { livenessProbe: probe('/-/healthy', 8, 30), readinessProbe: probe('/-/ready', 20, 5) };
}

/**
 * Spreads replicas over nodes. Required where two replicas on one node would defeat
 * the point of having two (Prometheus, Receive), preferred for stateless components.
 */
export function hostnameAntiAffinity(selector: Labels, mode: 'required' | 'preferred'): IAffinity {
  const term = { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' };
  return mode === 'required'
    ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }
    : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
}

/** POD_NAME and NAMESPACE from the downward API; args use them as $(POD_NAME) and $(NAMESPACE). */
export function podIdentityEnv(): IEnvVar[] {
  return [
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
  ];
}

const OBJSTORE_VOLUME = 'objstore-config';
const OBJSTORE_DIR = '/etc/thanos/objstore';

/** The one Secret every object-storage client mounts (the base carries no credentials; overlays supply it). */
export function objstoreVolume(stack: StackConfig): IVolume {
  return { name: OBJSTORE_VOLUME, secret: { secretName: stack.objstoreSecret.name } };
}

export function objstoreVolumeMount(): IVolumeMount {
  return { name: OBJSTORE_VOLUME, mountPath: OBJSTORE_DIR, readOnly: true };
}

export function objstoreFlag(stack: StackConfig): string {
  return `--objstore.config-file=${OBJSTORE_DIR}/${stack.objstoreSecret.key}`;
}

/** A volume claim template for a StatefulSet's data directory. */
export function dataVolumeClaim(name: string, size: string): IPersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
  };
}

/** Writable scratch space for a container whose root filesystem is read-only. */
export function scratchVolume(name: string): IVolume {
  return { name, emptyDir: {} };
}
