import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asArray, asRecord } from '../lib/model.js';
import type { Index, Workload } from '../lib/model.js';
import type { Diagnostic, Policy } from '../lib/types.js';

const ALLOWED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const LEVEL = 'pod-security.kubernetes.io/enforce';

/**
 * The one workload that may leave "restricted": a node-exporter DaemonSet (every container runs the
 * node-exporter image) reads the node through host network, host PID and read-only hostPath mounts of
 * /proc, /sys and /. It gets those three exceptions, and only in a Namespace of the input that
 * enforces "privileged"; every other rule still holds for it.
 */
const HOST_READS = new Set(['/proc', '/sys', '/']);
function isNodeExporter(w: Workload): boolean {
  const repo = (image: string) =>
    image
      .split('@')[0]
      .replace(/:[^/:]*$/, '')
      .split('/')
      .pop();
  return w.kind === 'DaemonSet' && w.containers.length > 0 && w.containers.every((c) => repo(c.image) === 'node-exporter');
}
function enforcedLevel(index: Index, namespace: string | undefined): string | undefined {
  return namespace === undefined ? undefined : index.find('Namespace', undefined, namespace)?.object.metadata.labels?.[LEVEL];
}
/** hostPath volumes node-exporter may have: the node's /proc, /sys and /, mounted read-only by every container. */
function readOnlyHostReads(w: Workload, volume: Record<string, unknown>): boolean {
  const path = String(asRecord(volume.hostPath)?.path ?? '').replace(/(.)\/$/, '$1');
  if (!HOST_READS.has(path)) return false;
  return w.containers.every((c) =>
    asArray(c.raw.volumeMounts)
      .map(asRecord)
      .every((m) => m?.name !== volume.name || m?.readOnly === true),
  );
}

/**
 * Restricted: no host namespaces, ports or hostPath volumes, no privileged containers,
 * allowPrivilegeEscalation: false, capabilities drop ALL (only NET_BIND_SERVICE added), runAsNonRoot (not
 * UID 0), seccomp RuntimeDefault or Localhost, only safe sysctls. The node-exporter exception (in a
 * Namespace of the input that enforces privileged): host network, host PID and read-only hostPath mounts of
 * /proc, /sys and /. A Namespace of the input that enforces no level, or less than restricted, is a warning,
 * unless it is privileged and holds a node-exporter DaemonSet alone.
 */
export const podSecurity: Policy = {
  id: 'pod-security',
  severity: 'error',
  description:
    'Pods meet the Pod Security Standards "restricted" profile and Namespaces enforce a Pod Security level; a node-exporter DaemonSet in a privileged Namespace may use the host.',
  remediation:
    'Set the pod and container securityContext as the message says (runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault) and label the Namespace pod-security.kubernetes.io/enforce: restricted.',
  kinds: [...WORKLOAD_KINDS, 'Namespace'],
  check({ input, index, object }) {
    if (object.kind === 'Namespace') {
      const level = object.metadata.labels?.[LEVEL];
      if (level === undefined)
        return [{ message: `has no ${LEVEL} label, so Pod Security admission enforces nothing`, severity: 'warning' }];
      // A privileged Namespace that holds a node-exporter DaemonSet and nothing else is by design.
      const inside = index.workloads.filter((w) => w.namespace === object.metadata.name);
      if (level === 'privileged' && inside.length > 0 && inside.every(isNodeExporter)) return [];
      if (level !== 'restricted')
        return [
          {
            message: `${LEVEL} is ${level}, not restricted${level === 'privileged' ? ' (only a Namespace holding a node-exporter DaemonSet alone may be)' : ''}`,
            severity: 'warning',
          },
        ];
      return [];
    }
    const w = index.workloadOf(input);
    if (!w) return [];
    const out: Diagnostic[] = [];
    const spec = w.podSpec;
    const nodeExporter = isNodeExporter(w) && enforcedLevel(index, w.namespace) === 'privileged';
    const hint =
      isNodeExporter(w) && !nodeExporter ? ` (a node-exporter DaemonSet may, in a Namespace of its own that enforces privileged)` : '';
    for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (spec[host] === true && !(nodeExporter && host !== 'hostIPC')) out.push({ message: `pod sets ${host}: true${hint}` });
    }
    for (const v of asArray(spec.volumes)) {
      const volume = asRecord(v);
      if (!volume) continue;
      const type = Object.keys(volume).find((k) => k !== 'name');
      if (type === 'hostPath' && nodeExporter && readOnlyHostReads(w, volume)) continue;
      if (type && !ALLOWED_VOLUMES.has(type))
        out.push({ message: `volume ${String(volume.name)} is of type ${type}, which restricted does not allow${hint}` });
    }
    const podSc = asRecord(spec.securityContext) ?? {};
    for (const s of asArray(podSc.sysctls)) {
      const name = String(asRecord(s)?.name);
      if (!SAFE_SYSCTLS.has(name)) out.push({ message: `pod sets sysctl ${name}, which is not in the safe set` });
    }
    if (podSc.runAsUser === 0) out.push({ message: 'pod runs as UID 0 (securityContext.runAsUser: 0)' });
    const podSeccomp = asRecord(podSc.seccompProfile)?.type;
    const containers = [...asArray(spec.initContainers), ...asArray(spec.containers), ...asArray(spec.ephemeralContainers)].map(asRecord);
    for (const c of containers) {
      if (!c) continue;
      const name = String(c.name);
      const sc = asRecord(c.securityContext) ?? {};
      const problems: string[] = [];
      if (sc.privileged === true) problems.push('privileged: true');
      if (sc.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation is not false');
      const caps = asRecord(sc.capabilities);
      if (
        !asArray(caps?.drop)
          .map(String)
          .some((d) => d.toUpperCase() === 'ALL')
      )
        problems.push('capabilities.drop does not include ALL');
      const added = asArray(caps?.add)
        .map(String)
        .filter((a) => a.toUpperCase().replace(/^CAP_/, '') !== 'NET_BIND_SERVICE');
      if (added.length) problems.push(`capabilities.add has ${added.join(', ')}`);
      const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      if (nonRoot !== true) problems.push('runAsNonRoot is not true (pod or container)');
      if (sc.runAsUser === 0) problems.push('runAsUser is 0');
      const seccomp = asRecord(sc.seccompProfile)?.type ?? podSeccomp;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
        problems.push(
          `seccompProfile.type is ${seccomp === undefined ? 'unset' : String(seccomp)} (pod or container), not RuntimeDefault or Localhost`,
        );
      if (sc.procMount !== undefined && sc.procMount !== 'Default') problems.push(`procMount is ${String(sc.procMount)}`);
      for (const p of asArray(c.ports)) if (asRecord(p)?.hostPort) problems.push(`hostPort ${String(asRecord(p)?.hostPort)}`);
      if (problems.length) out.push({ message: `container ${name}: ${problems.join('; ')}` });
    }
    return out;
  },
};
