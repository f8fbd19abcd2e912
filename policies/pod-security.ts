import { WORKLOAD_KINDS } from './engine/kinds.js';
import { asArray, asRecord } from './engine/model.js';
import type { Diagnostic, Policy } from './engine/types.js';

const ALLOWED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const LEVEL = 'pod-security.kubernetes.io/enforce';

export const podSecurity: Policy = {
  id: 'pod-security',
  severity: 'error',
  description:
    'Pods meet the Pod Security Standards "restricted" profile: no host namespaces, ports or hostPath volumes, no privileged containers, allowPrivilegeEscalation: false, capabilities drop ALL (only NET_BIND_SERVICE added), runAsNonRoot (not UID 0), seccomp RuntimeDefault or Localhost, only safe sysctls. A Namespace in the input should enforce a Pod Security level (a warning when it enforces none or less than restricted).',
  remediation: 'Set the pod and container securityContext as the message says (runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault) and label the Namespace pod-security.kubernetes.io/enforce: restricted.',
  kinds: [...WORKLOAD_KINDS, 'Namespace'],
  check({ input, index, object }) {
    if (object.kind === 'Namespace') {
      const level = object.metadata.labels?.[LEVEL];
      if (level === undefined) return [{ message: `has no ${LEVEL} label, so Pod Security admission enforces nothing`, severity: 'warning' }];
      if (level !== 'restricted') return [{ message: `${LEVEL} is ${level}, not restricted`, severity: 'warning' }];
      return [];
    }
    const w = index.workloadOf(input);
    if (!w) return [];
    const out: Diagnostic[] = [];
    const spec = w.podSpec;
    for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (spec[host] === true) out.push({ message: `pod sets ${host}: true` });
    }
    for (const v of asArray(spec.volumes)) {
      const volume = asRecord(v);
      if (!volume) continue;
      const type = Object.keys(volume).find((k) => k !== 'name');
      if (type && !ALLOWED_VOLUMES.has(type)) out.push({ message: `volume ${String(volume.name)} is of type ${type}, which restricted does not allow` });
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
      if (!asArray(caps?.drop).map(String).some((d) => d.toUpperCase() === 'ALL')) problems.push('capabilities.drop does not include ALL');
      const added = asArray(caps?.add).map(String).filter((a) => a.toUpperCase().replace(/^CAP_/, '') !== 'NET_BIND_SERVICE');
      if (added.length) problems.push(`capabilities.add has ${added.join(', ')}`);
      const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      if (nonRoot !== true) problems.push('runAsNonRoot is not true (pod or container)');
      if (sc.runAsUser === 0) problems.push('runAsUser is 0');
      const seccomp = asRecord(sc.seccompProfile)?.type ?? podSeccomp;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`seccompProfile.type is ${seccomp === undefined ? 'unset' : String(seccomp)} (pod or container), not RuntimeDefault or Localhost`);
      if (sc.procMount !== undefined && sc.procMount !== 'Default') problems.push(`procMount is ${String(sc.procMount)}`);
      for (const p of asArray(c.ports)) if (asRecord(p)?.hostPort) problems.push(`hostPort ${String(asRecord(p)?.hostPort)}`);
      if (problems.length) out.push({ message: `container ${name}: ${problems.join('; ')}` });
    }
    return out;
  },
};
