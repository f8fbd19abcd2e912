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
/**
 * The sysctls baseline allows as of Kubernetes 1.32: pod-security-admission v0.32.0 policy/check_sysctls.go
 * (sysctlsAllowedV1Dot0 ... sysctlsAllowedV1Dot32, which adds net.ipv4.tcp_rmem and net.ipv4.tcp_wmem).
 */
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
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
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

/** The Pod Security levels, least to most strict; a Namespace without an enforce label admits as privileged. */
type Level = 'privileged' | 'baseline' | 'restricted';
const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];
/**
 * Capabilities the baseline level lets a container add (the container runtime's default set), compared as
 * written: pod-security-admission policy/check_capabilities_baseline.go (capabilities_allowed_1_0) and
 * check_capabilities_restricted.go (drop must hold "ALL", add only "NET_BIND_SERVICE") match the exact
 * strings, so "all", "chown" or "CAP_NET_BIND_SERVICE" do not count although the runtime would accept them.
 */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** One departure from "restricted", with the lowest level that already refuses it. */
interface Problem {
  readonly text: string;
  readonly level: 'baseline' | 'restricted';
  /** The container it is about; undefined for the pod. */
  readonly container?: string;
}

function problemsOf(w: Workload, nodeExporter: boolean, hint: string): Problem[] {
  const out: Problem[] = [];
  const spec = w.podSpec;
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[host] === true && !(nodeExporter && host !== 'hostIPC'))
      out.push({ text: `pod sets ${host}: true${hint}`, level: 'baseline' });
  }
  for (const v of asArray(spec.volumes)) {
    const volume = asRecord(v);
    if (!volume) continue;
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (type === 'hostPath' && nodeExporter && readOnlyHostReads(w, volume)) continue;
    if (type && !ALLOWED_VOLUMES.has(type))
      out.push({
        text: `volume ${String(volume.name)} is of type ${type}, which restricted does not allow${hint}`,
        level: type === 'hostPath' ? 'baseline' : 'restricted',
      });
  }
  const podSc = asRecord(spec.securityContext) ?? {};
  for (const s of asArray(podSc.sysctls)) {
    const name = String(asRecord(s)?.name);
    if (!SAFE_SYSCTLS.has(name)) out.push({ text: `pod sets sysctl ${name}, which is not in the safe set`, level: 'baseline' });
  }
  if (podSc.runAsUser === 0) out.push({ text: 'pod runs as UID 0 (securityContext.runAsUser: 0)', level: 'restricted' });
  const podSeccomp = asRecord(podSc.seccompProfile)?.type;
  // Baseline refuses a pod-level type other than RuntimeDefault or Localhost whatever its containers set
  // (policy/check_seccompProfile_baseline.go:121-131 at pod-security-admission v0.32.0): said once, for the pod.
  const podSeccompBad = podSeccomp !== undefined && podSeccomp !== 'RuntimeDefault' && podSeccomp !== 'Localhost';
  if (podSeccompBad)
    out.push({ text: `pod sets seccompProfile.type ${String(podSeccomp)}, not RuntimeDefault or Localhost`, level: 'baseline' });
  const containers = [...asArray(spec.initContainers), ...asArray(spec.containers), ...asArray(spec.ephemeralContainers)].map(asRecord);
  for (const c of containers) {
    if (!c) continue;
    const container = String(c.name);
    const add = (text: string, level: Problem['level']) => out.push({ text, level, container });
    const sc = asRecord(c.securityContext) ?? {};
    if (sc.privileged === true) add('privileged: true', 'baseline');
    if (sc.allowPrivilegeEscalation !== false) add('allowPrivilegeEscalation is not false', 'restricted');
    const caps = asRecord(sc.capabilities);
    if (!asArray(caps?.drop).includes('ALL')) add('capabilities.drop does not include ALL', 'restricted');
    const added = asArray(caps?.add)
      .map(String)
      .filter((a) => a !== 'NET_BIND_SERVICE');
    if (added.length)
      add(`capabilities.add has ${added.join(', ')}`, added.every((a) => BASELINE_CAPABILITIES.has(a)) ? 'restricted' : 'baseline');
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) add('runAsNonRoot is not true (pod or container)', 'restricted');
    if (sc.runAsUser === 0) add('runAsUser is 0', 'restricted');
    const own = asRecord(sc.seccompProfile)?.type;
    const seccomp = own ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost' && !(own === undefined && podSeccompBad))
      add(
        `seccompProfile.type is ${seccomp === undefined ? 'unset' : String(seccomp)} (pod or container), not RuntimeDefault or Localhost`,
        seccomp === 'Unconfined' ? 'baseline' : 'restricted',
      );
    if (sc.procMount !== undefined && sc.procMount !== 'Default') add(`procMount is ${String(sc.procMount)}`, 'baseline');
    for (const p of asArray(c.ports)) if (asRecord(p)?.hostPort) add(`hostPort ${String(asRecord(p)?.hostPort)}`, 'baseline');
  }
  return out;
}

/**
 * Restricted: no host namespaces, ports or hostPath volumes, no privileged containers,
 * allowPrivilegeEscalation: false, capabilities drop ALL (only NET_BIND_SERVICE added), runAsNonRoot (not
 * UID 0), seccomp RuntimeDefault or Localhost, only safe sysctls. The node-exporter exception (in a
 * Namespace of the input that enforces privileged): host network, host PID and read-only hostPath mounts of
 * /proc, /sys and /. A Namespace of the input that enforces no level, or less than restricted, is a warning,
 * unless it is privileged and holds a node-exporter DaemonSet alone.
 *
 * What the cluster does decides the severity: where the pod's Namespace is in the input, Pod Security
 * admission enforces its `enforce` label (none: the admission default, privileged), and a departure that
 * level refuses (baseline refuses host namespaces, hostPath, host ports, privileged, added capabilities
 * outside the default set, unsafe sysctls, Unconfined seccomp, procMount) is an error: the pods are never
 * created. The rest is this project's practice (restricted everywhere): an error for our overlays and
 * with a profile, a warning for someone else's manifests, marked (practice).
 */
export const podSecurity: Policy = {
  id: 'pod-security',
  severity: 'error',
  description:
    'Pods meet what their Namespace\'s Pod Security level enforces, and this project\'s "restricted" profile as a practice; Namespaces enforce a level; a node-exporter DaemonSet in a privileged Namespace may use the host.',
  remediation:
    'Set the pod and container securityContext as the message says (runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault) and label the Namespace pod-security.kubernetes.io/enforce: restricted.',
  kinds: [...WORKLOAD_KINDS, 'Namespace'],
  check({ input, index, object }) {
    if (object.kind === 'Namespace') {
      const level = object.metadata.labels?.[LEVEL];
      if (level === undefined)
        return [
          {
            message: `has no ${LEVEL} label, so Pod Security admission enforces its default (privileged unless the cluster's administrator changed it)`,
            severity: 'warning',
            practice: true,
          },
        ];
      // pod-security-admission v0.32.0 api/helpers.go ParseLevel returns LevelRestricted with an error for any
      // other value, and admission/admission.go (ValidateNamespace) refuses a Namespace created with it.
      if (!LEVELS.includes(level as Level))
        return [
          {
            message: `${LEVEL} is '${level}', not one of privileged, baseline, restricted: Pod Security admission rejects the Namespace ("must be one of privileged, baseline, restricted") and would judge its pods as restricted`,
          },
        ];
      // A privileged Namespace that holds a node-exporter DaemonSet and nothing else is by design.
      const inside = index.workloads.filter((w) => w.namespace === object.metadata.name);
      if (level === 'privileged' && inside.length > 0 && inside.every(isNodeExporter)) return [];
      if (level !== 'restricted')
        return [
          {
            message: `${LEVEL} is ${level}, not restricted${level === 'privileged' ? ' (only a Namespace holding a node-exporter DaemonSet alone may be)' : ''}`,
            severity: 'warning',
            practice: true,
          },
        ];
      return [];
    }
    const w = index.workloadOf(input);
    if (!w) return [];
    const namespace = w.namespace === undefined ? undefined : index.find('Namespace', undefined, w.namespace);
    const label = namespace?.object.metadata.labels?.[LEVEL];
    // The level admission enforces, when the input says: an unlabelled Namespace admits as privileged, an
    // invalid label fails closed as restricted (api/helpers.go ParseLevel).
    const enforced: Level | undefined = namespace
      ? label === undefined
        ? 'privileged'
        : (LEVELS.find((l) => l === label) ?? 'restricted')
      : undefined;
    const nodeExporter = isNodeExporter(w) && enforcedLevel(index, w.namespace) === 'privileged';
    const hint =
      isNodeExporter(w) && !nodeExporter ? ` (a node-exporter DaemonSet may, in a Namespace of its own that enforces privileged)` : '';
    const refuses = (p: Problem) => enforced === 'restricted' || (enforced === 'baseline' && p.level === 'baseline');
    const refusal = `: namespace ${w.namespace} enforces ${enforced}, so Pod Security admission refuses these pods`;
    const advice =
      enforced === undefined
        ? `: restricted is this project's practice; namespace ${w.namespace ?? '(none)'} is not in the input, so the level it enforces is not known`
        : `: restricted is this project's practice; namespace ${w.namespace} enforces ${enforced}${label === undefined ? ' (no enforce label: the admission default)' : ''}, which admits these pods`;
    const out: Diagnostic[] = [];
    const problems = problemsOf(w, nodeExporter, hint);
    // One finding per container (and one per pod-level problem) for each verdict.
    for (const refused of [true, false]) {
      const mine = problems.filter((p) => refuses(p) === refused);
      const tail = refused ? refusal : advice;
      const verdict = refused ? {} : { practice: true as const };
      for (const p of mine.filter((x) => x.container === undefined)) out.push({ message: `${p.text}${tail}`, ...verdict });
      const byContainer = new Map<string, string[]>();
      for (const p of mine.filter((x) => x.container !== undefined))
        byContainer.set(p.container!, [...(byContainer.get(p.container!) ?? []), p.text]);
      for (const [c, texts] of byContainer) out.push({ message: `container ${c}: ${texts.join('; ')}${tail}`, ...verdict });
    }
    return out;
  },
};
