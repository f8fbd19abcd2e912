import { parseQuantity } from '../../core/units/quantity.js';
import { asArray, asRecord, asString, selectorMatches, type Workload } from '../lib/model.js';
import type { Diagnostic, KObject, Policy } from '../lib/types.js';

/**
 * What the API server (or the kubelet, at start) rejects although the OpenAPI schema allows it:
 * the checks of k8s.io/kubernetes pkg/apis/core/validation and apps/validation that a manifest most
 * often trips. Each message says what the server would answer.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** IANA_SVC_NAME: what a named port must be (at most 15 characters, a letter, no double hyphen). */
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A Service name is a DNS-1035 label (it becomes a host name and environment variable names: a letter first). */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Kinds whose names are paths or free-form (RBAC names may hold ':'), not checked here. */
const FREE_NAMED = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const SELECTED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

function nameProblems(object: KObject): string[] {
  const out: string[] = [];
  const name = object.metadata.name;
  if (object.kind === 'Service') {
    if (!DNS1035_LABEL.test(name) || name.length > 63)
      out.push(
        `metadata.name '${name}' is not a DNS-1035 label (a lower-case letter first, then letters, digits and -, at most 63): the API server rejects a Service so named`,
      );
  } else if (object.kind === 'Namespace') {
    if (!DNS1123_LABEL.test(name) || name.length > 63)
      out.push(`metadata.name '${name}' is not a DNS-1123 label (lower-case letters, digits and -, at most 63): the API server rejects it`);
  } else if (!FREE_NAMED.has(object.kind) && (!DNS1123_SUBDOMAIN.test(name) || name.length > 253)) {
    out.push(
      `metadata.name '${name}' is not a DNS-1123 subdomain (lower-case letters, digits, - and ., at most 253): the API server rejects it`,
    );
  } else if (object.kind === 'CronJob' && name.length > 52) {
    // Its Jobs are named <name>-<11 digits>, which must stay a 63-character label.
    out.push(`metadata.name '${name}' has ${name.length} characters; the API server rejects a CronJob name over 52`);
  }
  const namespace = object.metadata.namespace;
  if (typeof namespace === 'string' && !(DNS1123_LABEL.test(namespace) && namespace.length <= 63)) {
    out.push(`metadata.namespace '${namespace}' is not a DNS-1123 label: the API server rejects it`);
  }
  out.push(...labelProblems(asRecord(object.metadata.labels), 'metadata.labels'));
  return out;
}

function labelProblems(labels: Record<string, unknown> | undefined, where: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!LABEL_NAME.test(key) || key.split('/').pop()!.length > 63) out.push(`${where} key '${key}' is not a valid label name`);
    const text = value === null ? '' : String(value);
    if (!LABEL_VALUE.test(text) || text.length > 63)
      out.push(
        `${where}.${key} value '${text}' is not a valid label value (letters, digits, -, _ and ., at most 63, alphanumeric at both ends)`,
      );
  }
  return out;
}

function validPortName(name: string): boolean {
  return PORT_NAME.test(name) && name.length <= 15 && /[a-z]/.test(name) && !name.includes('--');
}

function validPort(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

function podProblems(workload: Workload): string[] {
  const out: string[] = [];
  const spec = workload.podSpec;
  const volumes = new Set(
    asArray(spec.volumes)
      .map((v) => asString(asRecord(v)?.name))
      .filter((n): n is string => !!n),
  );
  const claims = new Set(workload.claimTemplates);
  const names = new Map<string, number>();
  for (const container of workload.containers) names.set(container.name, (names.get(container.name) ?? 0) + 1);
  for (const [name, count] of names)
    if (count > 1) out.push(`container name ${name} is used ${count} times (containers and initContainers share one namespace of names)`);
  const volumeNames = new Map<string, number>();
  for (const v of asArray(spec.volumes)) {
    const name = asString(asRecord(v)?.name);
    if (name) volumeNames.set(name, (volumeNames.get(name) ?? 0) + 1);
  }
  for (const [name, count] of volumeNames)
    if (count > 1) out.push(`volume name ${name} is used ${count} times; the API server requires unique volume names`);
  for (const container of workload.containers) {
    const c = container.raw;
    const where = `container ${container.name}`;
    if (!DNS1123_LABEL.test(container.name) || container.name.length > 63) out.push(`${where}: the name is not a DNS-1123 label`);
    const portNames = new Map<string, number>();
    for (const item of asArray(c.ports)) {
      const port = asRecord(item);
      if (!port) continue;
      if (!validPort(port.containerPort)) out.push(`${where}: containerPort ${String(port.containerPort)} is not between 1 and 65535`);
      // validateContainerPorts (pkg/apis/core/validation/validation.go): hostPort 0 is "not set"; only another value is range-checked.
      if (port.hostPort !== undefined && port.hostPort !== 0 && !validPort(port.hostPort))
        out.push(`${where}: hostPort ${String(port.hostPort)} is not between 1 and 65535`);
      // validateContainerPorts: an empty name is no name; an invalid one is reported as invalid and, unlike a
      // valid one, not counted again as a duplicate.
      const name = asString(port.name);
      if (!name) continue;
      if (!validPortName(name)) {
        out.push(`${where}: port name '${name}' is not an IANA service name (at most 15 lower-case letters, digits and -, with a letter)`);
      } else portNames.set(name, (portNames.get(name) ?? 0) + 1);
    }
    for (const [name, count] of portNames) if (count > 1) out.push(`${where}: port name ${name} is declared ${count} times`);
    const mountPaths = new Map<string, number>();
    for (const item of asArray(c.volumeMounts)) {
      const mount = asRecord(item);
      const volume = asString(mount?.name);
      const path = asString(mount?.mountPath)?.replace(/\/+$/, '');
      if (path !== undefined) mountPaths.set(path, (mountPaths.get(path) ?? 0) + 1);
      if (volume && !volumes.has(volume) && !claims.has(volume)) {
        out.push(
          `${where}: volumeMount ${volume} (at ${String(mount?.mountPath)}) names no volume of the pod${workload.kind === 'StatefulSet' ? ' and no volumeClaimTemplate' : ''}`,
        );
      }
    }
    for (const [path, count] of mountPaths)
      if (count > 1)
        out.push(`${where}: mountPath ${path || '/'} is mounted ${count} times; the API server requires unique mount paths in a container`);
    // Only native sidecars (restartPolicy Always) may have probes among init containers.
    if (container.init && !container.longRunning) {
      const probes = PROBES.filter((p) => c[p] !== undefined && c[p] !== null);
      if (probes.length > 0)
        out.push(
          `${where}: an init container may not have ${probes.join(', ')} (only a sidecar with restartPolicy: Always may); the API server rejects it`,
        );
    }
    const resources = asRecord(c.resources);
    const requests = asRecord(resources?.requests) ?? {};
    const limits = asRecord(resources?.limits) ?? {};
    for (const resource of ['memory', 'cpu', 'ephemeral-storage']) {
      const request = parseQuantity(requests[resource]);
      const limit = parseQuantity(limits[resource]);
      if (request !== undefined && limit !== undefined && limit < request) {
        out.push(
          `${where}: resources.limits.${resource} ${String(limits[resource])} is below its request ${String(requests[resource])}; the API server rejects the pod template ("must be less than or equal to ${resource} limit", pkg/apis/core/validation ValidateResourceRequirements): raise the limit to at least ${String(requests[resource])} or lower the request`,
        );
      }
      for (const [what, value] of [
        ['requests', requests[resource]],
        ['limits', limits[resource]],
      ] as const) {
        const q = parseQuantity(value);
        if (q !== undefined && q < 0) out.push(`${where}: resources.${what}.${resource} ${String(value)} is negative`);
      }
    }
    // Every resource value is a quantity ("512Mi", "1Gi", "250m"); "1Gb" or "512mb" is refused by the decoder.
    for (const [what, values] of [
      ['requests', requests],
      ['limits', limits],
    ] as const) {
      for (const [resource, value] of Object.entries(values)) {
        if (value !== undefined && value !== null && parseQuantity(value) === undefined) {
          out.push(
            `${where}: resources.${what}.${resource} '${String(value)}' is not a quantity (e.g. 512Mi, 1Gi, 250m): the API server rejects it`,
          );
        }
      }
    }
    const declared = new Set(
      asArray(c.ports)
        .map((p) => asString(asRecord(p)?.name))
        .filter((n): n is string => !!n),
    );
    for (const probeName of PROBES) {
      const probe = asRecord(c[probeName]);
      if (!probe) continue;
      const handlers = HANDLERS.filter((h) => probe[h] !== undefined && probe[h] !== null);
      if (handlers.length > 1)
        out.push(`${where}: ${probeName} has ${handlers.length} handlers (${handlers.join(', ')}); it may have only one`);
      if (handlers.length === 0) out.push(`${where}: ${probeName} has no handler (exec, httpGet, tcpSocket or grpc)`);
      for (const h of ['httpGet', 'tcpSocket'] as const) {
        const port = asRecord(probe[h])?.port;
        if (typeof port === 'string' && /^\d+$/.test(port)) {
          // IntOrString: a quoted number is a name, and a port name needs a letter.
          out.push(
            `${where}: ${probeName}.${h}.port '${port}' is a quoted number: the API server reads it as a port name and rejects it (a name needs a letter); write ${port} without quotes`,
          );
        } else if (typeof port === 'string' && !declared.has(port)) {
          out.push(
            `${where}: ${probeName}.${h}.port '${port}' is not a port name the container declares (${[...declared].join(', ') || 'it declares none'}); the probe always fails`,
          );
        } else if (typeof port === 'number' && !validPort(port)) {
          out.push(`${where}: ${probeName}.${h}.port ${port} is not between 1 and 65535`);
        }
      }
    }
  }
  return out;
}

function selectorProblems(object: KObject, workload: Workload | undefined): string[] {
  if (!workload || !SELECTED_KINDS.has(object.kind)) return [];
  const spec = asRecord(object.spec);
  const out: string[] = [];
  const replicas = spec?.replicas;
  if (typeof replicas === 'number' && replicas < 0) out.push(`spec.replicas ${replicas} is negative`);
  const selector = asRecord(spec?.selector);
  if (!selector) return [...out, 'spec.selector is required'];
  if (!selectorMatches(selector, workload.podLabels)) {
    out.push(
      `spec.selector ${JSON.stringify(selector)} does not match the pod template's labels ${JSON.stringify(workload.podLabels)}: the API server rejects it ("selector does not match template labels")`,
    );
  }
  return out;
}

/** Controllers that keep their pods running: apps/validation accepts only restartPolicy Always for their template. */
const ALWAYS_RESTARTED = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);
/** Jobs run to completion: batch/validation accepts only OnFailure and Never (an unset policy defaults to Always). */
const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

/**
 * k8s.io/kubernetes pkg/apis/apps/validation: ValidatePodTemplateSpecForReplicaSet (Deployment, ReplicaSet),
 * ValidateStatefulSetSpec and ValidateDaemonSetSpec refuse any restartPolicy but Always ("Unsupported value");
 * pkg/apis/batch/validation refuses any but OnFailure and Never for a Job's template.
 */
function restartPolicyProblems(object: KObject, workload: Workload | undefined): string[] {
  if (!workload) return [];
  const policy = asString(workload.podSpec.restartPolicy);
  const field = object.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec.restartPolicy' : 'spec.template.spec.restartPolicy';
  if (ALWAYS_RESTARTED.has(object.kind) && policy !== undefined && policy !== 'Always')
    return [
      `${field} is ${policy}: the API server rejects a ${object.kind} whose pods are not restarted ("Unsupported value: "${policy}": supported values: "Always""); remove the field (it defaults to Always) or write Always`,
    ];
  if (RUN_TO_COMPLETION.has(object.kind) && policy !== 'OnFailure' && policy !== 'Never')
    return [
      `${field} is ${policy ?? 'unset (it defaults to Always)'}: the API server rejects a ${object.kind} whose pods restart forever (supported values: "OnFailure", "Never"); write restartPolicy: OnFailure or Never`,
    ];
  return [];
}

/**
 * The StatefulSet controller labels each pod `controller-revision-hash: <name>-<hash>`
 * (pkg/controller/history ControllerRevisionName, stateful_set_utils.go setPodRevision), where the hash
 * is the decimal FNV-32 of the revision through rand.SafeEncodeString: up to 10 characters (Sum32 >= 10^9
 * for more than three hashes in four). A label value holds at most 63 characters, so above 52 the pod
 * is refused and the StatefulSet never gets a pod (kubernetes/kubernetes#64023).
 */
const STATEFULSET_NAME_MAX = 63 - 1 - 10;

function statefulSetNameProblems(object: KObject): string[] {
  const name = object.metadata.name;
  if (object.kind !== 'StatefulSet' || name.length <= STATEFULSET_NAME_MAX) return [];
  return [
    `metadata.name '${name}' has ${name.length} characters: its pods would carry the label controller-revision-hash=${name}-<hash of up to 10 characters>, over the 63 a label value may hold, so the controller cannot create them (FailedCreate); shorten the name to at most ${STATEFULSET_NAME_MAX} characters`,
  ];
}

/** A PodDisruptionBudget takes one of minAvailable and maxUnavailable, never both. */
function pdbProblems(object: KObject): string[] {
  if (object.kind !== 'PodDisruptionBudget') return [];
  const spec = asRecord(object.spec);
  return spec &&
    spec.minAvailable !== undefined &&
    spec.minAvailable !== null &&
    spec.maxUnavailable !== undefined &&
    spec.maxUnavailable !== null
    ? ['spec.minAvailable and spec.maxUnavailable are both set; the API server accepts only one']
    : [];
}

function serviceProblems(object: KObject): string[] {
  if (object.kind !== 'Service') return [];
  const out: string[] = [];
  const ports = asArray(asRecord(object.spec)?.ports)
    .map(asRecord)
    .filter((p): p is Record<string, unknown> => !!p);
  const names = new Map<string, number>();
  for (const port of ports) {
    if (!validPort(port.port)) out.push(`spec.ports: port ${String(port.port)} is not between 1 and 65535`);
    if (typeof port.targetPort === 'number' && !validPort(port.targetPort))
      out.push(`spec.ports: targetPort ${port.targetPort} is not between 1 and 65535`);
    if (typeof port.targetPort === 'string' && !validPortName(port.targetPort)) {
      out.push(
        `spec.ports: targetPort '${port.targetPort}' is no port number and not an IANA service name (at most 15 lower-case letters, digits and -, with a letter)`,
      );
    }
    const name = asString(port.name);
    if (name !== undefined) names.set(name, (names.get(name) ?? 0) + 1);
  }
  if (ports.length > 1 && ports.some((p) => p.name === undefined)) out.push('spec.ports: with more than one port, every port needs a name');
  for (const [name, count] of names) if (count > 1) out.push(`spec.ports: port name ${name} is used ${count} times`);
  return out;
}

/** ConfigMap and Secret keys become file names: the API server allows letters, digits, -, _ and . only. */
function dataKeyProblems(object: KObject): string[] {
  if (object.kind !== 'ConfigMap' && object.kind !== 'Secret') return [];
  const out: string[] = [];
  for (const field of ['data', 'binaryData', 'stringData']) {
    for (const key of Object.keys(asRecord(object[field]) ?? {})) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253 || key === '.' || key === '..')
        out.push(`${field} key '${key}' is not a valid key (letters, digits, -, _ and . only)`);
    }
  }
  return out;
}

/**
 * The checks: a selector that does not match the pod template's labels, duplicate container or port names, a
 * volumeMount with no volume, a limit below its request or a resource value that is no quantity, a
 * PodDisruptionBudget with both minAvailable and maxUnavailable, negative replicas, ports outside 1-65535,
 * names and labels that are not DNS-1123 or valid label values, a probe with no or two handlers, a probe on
 * a named port its container does not declare (or a quoted number), probes on an init container, duplicate
 * volume names or mount paths, ConfigMap or Secret keys that are no valid file names.
 */
export const apiServer: Policy = {
  id: 'api-server',
  severity: 'error',
  description:
    "Objects the API server, the kubelet or a controller rejects although the schema allows them: mismatched selectors, duplicate names, limits below requests, invalid quantities, names and ports, probe mistakes, a restartPolicy the controller does not allow, a StatefulSet name too long for its pods' labels.",
  remediation: 'Fix the field the message names; the API server (kubectl apply, Argo CD, Flux) refuses the object as it is.',
  check({ object, input, index }) {
    const workload = index.workloadOf(input);
    const messages = [
      ...nameProblems(object),
      ...selectorProblems(object, workload),
      ...restartPolicyProblems(object, workload),
      ...statefulSetNameProblems(object),
      ...serviceProblems(object),
      ...pdbProblems(object),
      ...dataKeyProblems(object),
      ...(workload ? podProblems(workload) : []),
    ];
    if (workload && object.kind !== 'Pod') messages.push(...labelProblems(workload.podLabels, 'pod template labels'));
    return messages.map((message): Diagnostic => ({ message }));
  },
};
