import { posix } from 'node:path';
import { minorOf } from '../../core/prometheus/flags.js';
import { parseVersion } from '../../core/thanos/flags.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import {
  asArray,
  asRecord,
  asString,
  type Index,
  type InputObject,
  mapSelects,
  resolveFile,
  sameNamespace,
  type Workload,
} from '../lib/model.js';
import { imageProgram, type ProgramProcess, programProcesses } from '../lib/programs.js';
import { prometheusConfigOf, yamlIn } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/** Alertmanager's default gossip address (cmd/alertmanager/main.go defaultClusterAddr, every release read). */
const DEFAULT_CLUSTER_PORT = 9094;

/** The gossip port an Alertmanager listens on; undefined when `--cluster.listen-address=""` turns clustering off. */
function clusterPort(p: ProgramProcess): number | undefined {
  const flag = lastValue(p.args, '--cluster.listen-address');
  if (flag === undefined) return DEFAULT_CLUSTER_PORT;
  if (flag.trim() === '') return undefined;
  const port = Number(/:(\d+)$/.exec(flag)?.[1]);
  return Number.isInteger(port) ? port : DEFAULT_CLUSTER_PORT;
}

/** Every value of a flag, in both spellings kingpin reads (`--name=value`, `--name value`). */
function flagValues(args: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith(`${name}=`)) out.push(arg.slice(name.length + 1));
    else if (arg === name && args[i + 1] !== undefined && !args[i + 1].startsWith('-')) out.push(args[++i]);
    else if (arg === name && args[i + 1] === '') out.push(args[++i]);
  }
  return out;
}

function lastValue(args: readonly string[], name: string): string | undefined {
  const values = flagValues(args, name);
  return values[values.length - 1];
}

interface PeerTarget {
  readonly service: InputObject;
  /** Set when the name is a pod's DNS name under the Service (`am-0.am`). */
  readonly pod?: string;
}

/**
 * The Service a peer's host name resolves through, read as the pod's resolver reads it (search path
 * `<ns>.svc.<domain>`, `svc.<domain>`): `svc`, `svc.ns`, `pod.svc`, `pod.svc.ns`, each with an optional
 * `.svc[.<domain>]`. 'outside' for an IP, an unexpanded variable or a name outside the cluster.
 */
function peerTarget(index: Index, namespace: string | undefined, host: string): PeerTarget | 'missing' | 'outside' {
  // An IPv4 address has four labels and no .svc: outside below.
  if (host.includes('$(') || /^\[.*\]$/.test(host)) return 'outside';
  const bare = host.replace(/\.$/, '');
  const explicit = /\.svc(\.[a-z0-9.-]+)?$/.test(bare);
  const labels = bare.replace(/\.svc(\.[a-z0-9.-]+)?$/, '').split('.');
  const find = (name: string, ns: string | undefined) =>
    index.ofKind('Service').find((s) => s.object.metadata.name === name && sameNamespace(s.object.metadata.namespace, ns));
  const namespaces = new Set(index.inputs.map((i) => i.object.metadata.namespace).filter(Boolean));
  if (labels.length === 1) {
    const service = find(labels[0], namespace);
    return service ? { service } : 'missing';
  }
  if (labels.length === 2) {
    const asService = find(labels[0], labels[1]);
    if (asService && (explicit || namespaces.has(labels[1]))) return { service: asService };
    const asPod = find(labels[1], namespace);
    if (asPod) return { service: asPod, pod: labels[0] };
    return 'missing';
  }
  if (labels.length === 3 && (explicit || namespaces.has(labels[2]))) {
    const service = find(labels[1], labels[2]);
    return service ? { service, pod: labels[0] } : 'missing';
  }
  return 'outside';
}

/** The Alertmanager processes of the workloads a Service selects, with their gossip ports. */
function selectedAlertmanagers(index: Index, service: InputObject): { workload: Workload; process: ProgramProcess }[] {
  const selector = asRecord(asRecord(service.object.spec)?.selector);
  const out: { workload: Workload; process: ProgramProcess }[] = [];
  for (const w of index.workloads) {
    if (!sameNamespace(w.namespace, service.object.metadata.namespace) || !mapSelects(selector, w.podLabels)) continue;
    for (const process of programProcesses(w)) if (process.program === 'alertmanager') out.push({ workload: w, process });
  }
  return out;
}

/** The container port a Service port's targetPort leads to in `workload` (a number, or a container port's name). */
function targetPortNumber(workload: Workload, target: unknown): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  for (const c of workload.containers) {
    for (const p of asArray(c.raw.ports)) {
      const port = asRecord(p);
      if (port && port.name === target && typeof port.containerPort === 'number') return port.containerPort;
    }
  }
  return undefined;
}

/**
 * `--cluster.peer`: cluster.Create splits each peer into host and port and exits on a peer without a port
 * (alertmanager v0.32.3 cluster/cluster.go:736-739, cmd/alertmanager/main.go:240-262; v0.25.1 :737, :256). A
 * name that does not resolve is kept as written (cluster.go:744-748) and the join fails: the replica
 * gossips with nobody, and each replica notifies on its own.
 */
function peerProblems(index: Index, workload: Workload, p: ProgramProcess): string[] {
  const port = clusterPort(p);
  const peers = flagValues(p.args, '--cluster.peer');
  const n = workload.replicas;
  const alone = `each replica runs alone and sends every notification itself (${n > 1 ? `${n} copies of each` : 'one copy per replica'})`;
  const peerList = (svc: string) =>
    Array.from({ length: Math.max(n, 2) }, (_, i) => `--cluster.peer=${workload.name}-${i}.${svc}:${port ?? DEFAULT_CLUSTER_PORT}`).join(
      ' ',
    );
  const headless = index
    .ofKind('Service')
    .find(
      (s) =>
        sameNamespace(s.object.metadata.namespace, workload.namespace) &&
        asRecord(s.object.spec)?.clusterIP === 'None' &&
        mapSelects(asRecord(asRecord(s.object.spec)?.selector), workload.podLabels),
    );
  const serviceName = asString(asRecord(workload.object.spec)?.serviceName) ?? headless?.object.metadata.name ?? '<headless service>';
  if (n > 1 && port === undefined)
    return [
      `alertmanager runs ${n} replicas with --cluster.listen-address="" (clustering off): ${alone}; remove --cluster.listen-address="" and add ${peerList(serviceName)}`,
    ];
  if (port === undefined) return [];
  if (peers.length === 0) {
    if (n > 1 && workload.kind !== 'DaemonSet')
      return [`alertmanager runs ${n} replicas and no --cluster.peer: ${alone}; add ${peerList(serviceName)}`];
    return [];
  }
  const out: string[] = [];
  const hasServices = index.ofKind('Service').length > 0;
  for (const peer of new Set(peers)) {
    const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(peer);
    if (!m) {
      // net.SplitHostPort refuses a bare IPv6 address or a second colon (cluster/cluster.go:736-739 at v0.32.1).
      if (!peer.startsWith('[') && (peer.match(/:/g) ?? []).length > 1)
        out.push(
          `alertmanager ${minorOf(p.version)} exits at start: --cluster.peer=${peer} has too many colons ("split host/port for peer ${peer}: too many colons in address"); write an IPv6 address in brackets, e.g. --cluster.peer=[${peer.replace(/:\d+$/, '')}]:${port}`,
        );
      continue;
    }
    if (m[2] === '') {
      // "host:" splits with an empty port (cluster/cluster.go:736 at v0.32.1); the gossip join then has no port to dial.
      out.push(`--cluster.peer=${peer} has an empty port: the join fails and ${alone}; write --cluster.peer=${peer}${port}`);
      continue;
    }
    if (m[2] === undefined) {
      out.push(
        `alertmanager ${minorOf(p.version)} exits at start: --cluster.peer=${peer} has no port ("unable to initialize gossip mesh": "split host/port for peer ${peer}: missing port in address"); write --cluster.peer=${peer}:${port}`,
      );
      continue;
    }
    const peerPort = Number(m[2]);
    const target = peerTarget(index, workload.namespace, m[1]);
    if (target === 'outside') continue;
    if (target === 'missing') {
      if (hasServices)
        out.push(
          `--cluster.peer=${peer} names no Service in the input, so the name does not resolve and the join fails: ${alone}; point it at the replicas' headless Service (${peerList(serviceName)})`,
        );
      continue;
    }
    const svc = target.service;
    const svcName = svc.object.metadata.name;
    const spec = asRecord(svc.object.spec);
    const isHeadless = spec?.clusterIP === 'None';
    const selected = selectedAlertmanagers(index, svc);
    if (target.pod && !isHeadless) {
      out.push(
        `--cluster.peer=${peer} is a pod name under Service ${svcName}, which is not headless (clusterIP: None), so the name does not resolve and the join fails: ${alone}; make ${svcName} headless or name the headless Service`,
      );
      continue;
    }
    if (selected.length === 0) {
      if (asRecord(spec?.selector))
        out.push(
          `--cluster.peer=${peer}: Service ${svcName} selects no Alertmanager pod, so the join fails: ${alone}; point it at the Alertmanager replicas' headless Service`,
        );
      continue;
    }
    const gossipPorts = new Set(selected.map((s) => clusterPort(s.process)).filter((x): x is number => x !== undefined));
    if (isHeadless) {
      // A headless name resolves to the pods themselves: the peer's port is dialled on the pod.
      if (!gossipPorts.has(peerPort))
        out.push(
          `--cluster.peer=${peer} dials port ${peerPort}, and the Alertmanagers behind ${svcName} gossip on ${[...gossipPorts].join(', ')} (--cluster.listen-address): the join fails and ${alone}; write port ${[...gossipPorts][0]}`,
        );
      continue;
    }
    // A ClusterIP name reaches the Service's port, forwarded to its targetPort.
    const svcPort = asArray(spec?.ports)
      .map(asRecord)
      .find((sp) => sp?.port === peerPort);
    const forwarded = svcPort ? selected.map((s) => targetPortNumber(s.workload, svcPort.targetPort ?? svcPort.port)) : [];
    if (!svcPort || !forwarded.some((x) => x !== undefined && gossipPorts.has(x)))
      out.push(
        `--cluster.peer=${peer}: Service ${svcName} has no port ${peerPort} leading to the gossip port ${[...gossipPorts].join(', ')}, so the join fails and ${alone}; add the cluster port to the Service, or name the headless Service's pods`,
      );
  }
  return out;
}

/**
 * The file `--config.file` reads: a Secret or ConfigMap mounted without that key leaves no file, and
 * Alertmanager exits at start when its first load fails (cmd/alertmanager/main.go:567-568 at v0.32.3,
 * :516 at v0.25.1).
 */
function configKeyProblems(index: Index, workload: Workload, p: ProgramProcess): string[] {
  const path = lastValue(p.args, '--config.file') ?? 'alertmanager.yml';
  if (!path.startsWith('/')) return [];
  const source = resolveFile(workload, p.container, path);
  if (source.from !== 'secret' && source.from !== 'configMap') return [];
  let keys: readonly string[] | undefined;
  if (source.from === 'secret') {
    const view = index.secret(workload.namespace, source.name);
    keys = view?.keys ? [...view.keys] : undefined;
  } else {
    const cm = index
      .ofKind('ConfigMap')
      .find((c) => c.object.metadata.name === source.name && sameNamespace(c.object.metadata.namespace, workload.namespace));
    keys = cm ? [...Object.keys(asRecord(cm.object.data) ?? {}), ...Object.keys(asRecord(cm.object.binaryData) ?? {})] : undefined;
  }
  if (!keys || keys.includes(source.key)) return [];
  const kind = source.from === 'secret' ? 'Secret' : 'ConfigMap';
  const yamlKeys = keys.filter((k) => /\.ya?ml$/.test(k));
  const instead =
    yamlKeys.length === 1
      ? `write --config.file=${posix.join(posix.dirname(path), yamlKeys[0])}, or name the key ${source.key}`
      : `name the key ${source.key}`;
  return [
    `alertmanager exits at start: --config.file=${path} is key ${source.key} of ${kind} ${source.name}, which has ${keys.length ? `only ${keys.join(', ')}` : 'no keys'}, so the file does not exist ("Loading configuration file failed"); ${instead}`,
  ];
}

/** The port-name meta label each Kubernetes SD role sets (prometheus discovery/kubernetes/*.go). */
const PORT_NAME_LABEL: Record<string, string> = {
  endpoints: '__meta_kubernetes_endpoint_port_name',
  endpointslice: '__meta_kubernetes_endpointslice_port_name',
  service: '__meta_kubernetes_service_port_name',
  pod: '__meta_kubernetes_pod_container_port_name',
};

/** The regex of a `keep` relabel on exactly `label`, anchored as Prometheus anchors it; undefined when none. */
function keepRegexes(relabels: unknown[], label: string): RegExp[] {
  const out: RegExp[] = [];
  for (const r of relabels.map(asRecord)) {
    const sources = asArray(r?.source_labels).map(String);
    if (String(r?.action ?? 'replace').toLowerCase() !== 'keep' || sources.length !== 1 || sources[0] !== label) continue;
    try {
      out.push(new RegExp(`^(?:${asString(r?.regex) ?? '(.*)'})$`));
    } catch {
      // RE2 syntax JavaScript cannot read: not judged.
    }
  }
  return out;
}

/** Alertmanager's default API address (cmd/alertmanager/main.go --web.listen-address, :9093 in every release read). */
const DEFAULT_WEB_PORT = 9093;

/** The port an Alertmanager serves its API on (--web.listen-address, from exporter-toolkit's web flags). */
function webPort(p: ProgramProcess): number {
  const port = Number(/:(\d+)$/.exec(lastValue(p.args, '--web.listen-address') ?? '')?.[1]);
  return Number.isInteger(port) && port > 0 ? port : DEFAULT_WEB_PORT;
}

/**
 * A static Alertmanager target of Prometheus (`host:port`) that names a Service of the input whose
 * Alertmanagers serve their API on another port: the notifier POSTs every batch of alerts there and
 * each send fails (the gossip port speaks memberlist, not HTTP). A name outside the input is not judged.
 */
function staticTargetProblems(index: Index, prometheus: Workload, target: string, where: string, scheme: string): string[] {
  // Without a port the notifier's URL (scheme://target/api/v2/alerts, P@v3.13.2 notifier/alertmanager.go:48-84
  // adds none) is dialled on the scheme's port: 80, or 443 for https.
  const m = /^(.+?)(?::(\d+))?$/.exec(target);
  if (!m || m[1].includes(':')) return [];
  const host = m[1];
  const port = m[2] !== undefined ? Number(m[2]) : scheme === 'https' ? 443 : 80;
  const shown = m[2] === undefined ? `${target} (no port: ${scheme} dials ${port})` : target;
  const resolved = peerTarget(index, prometheus.namespace, host);
  if (typeof resolved === 'string') return [];
  const selected = selectedAlertmanagers(index, resolved.service);
  if (selected.length === 0) return [];
  const webPorts = new Set(selected.map((s) => webPort(s.process)));
  const gossip = new Set(selected.map((s) => clusterPort(s.process)));
  const spec = asRecord(resolved.service.object.spec);
  const svcName = resolved.service.object.metadata.name;
  /** The Service port that leads to an Alertmanager's API port. */
  const apiServicePort = () =>
    asArray(spec?.ports)
      .map(asRecord)
      .find((sp) => selected.some((s) => targetPortNumber(s.workload, sp?.targetPort ?? sp?.port) === webPort(s.process)))?.port;
  // A headless name (or a pod's name) is dialled on the pod itself; a ClusterIP name on the Service's port.
  let reached: (number | undefined)[];
  if (resolved.pod !== undefined || spec?.clusterIP === 'None') reached = [port];
  else {
    const svcPort = asArray(spec?.ports)
      .map(asRecord)
      .find((sp) => sp?.port === port);
    if (!svcPort)
      return [
        `${where} sends alerts to ${shown}, and Service ${svcName} has no port ${port}: every send fails and Prometheus drops the alerts; write ${host}:${apiServicePort() ?? DEFAULT_WEB_PORT}`,
      ];
    reached = selected.map((s) => targetPortNumber(s.workload, svcPort.targetPort ?? svcPort.port));
  }
  if (reached.some((x) => x !== undefined && webPorts.has(x)) || reached.every((x) => x === undefined)) return [];
  const isGossip = reached.some((x) => x !== undefined && gossip.has(x));
  const web = [...webPorts][0];
  return [
    `${where} sends alerts to ${shown}, which reaches port ${reached.find((x) => x !== undefined)} of the Alertmanagers behind ${svcName}${isGossip ? ', their gossip port (--cluster.listen-address), not HTTP' : ''}; they serve the API on ${[...webPorts].join(', ')} (--web.listen-address): every send fails and Prometheus drops the alerts; write ${host}:${resolved.pod !== undefined || spec?.clusterIP === 'None' ? web : (apiServicePort() ?? web)}`,
  ];
}

/**
 * Prometheus' alerting section: v3 reads only Alertmanager API v2 (config/config.go:1011-1024 and
 * :1036-1038 at v3.0.1: `api_version: v1` fails the config load, and the process exits at start); a
 * kubernetes_sd alertmanagers entry whose `keep` on the port name matches no port of the Alertmanager
 * Services (or pods) it watches discovers nothing, and every alert is dropped.
 */
function prometheusProblems(index: Index, workload: Workload): string[] {
  const server = programProcesses(workload).find((p) => p.program === 'prometheus');
  if (!server) return [];
  const config = prometheusConfigOf(index, workload);
  const doc = config ? asRecord(yamlIn(index, config.text)) : undefined;
  const alertmanagers = asArray(asRecord(doc?.alerting)?.alertmanagers);
  const out: string[] = [];
  const major = parseVersion(server.version)?.[0];
  alertmanagers.forEach((entry, i) => {
    const am = asRecord(entry);
    if (!am) return;
    if (major !== undefined && major >= 3 && asString(am.api_version) === 'v1')
      out.push(
        `prometheus ${minorOf(server.version)} exits at start: alerting.alertmanagers[${i}] has api_version: v1, and Prometheus v3 speaks only Alertmanager API v2 ("expected Alertmanager api version to be one of [v2] but got v1"); write api_version: v2 or leave it out (v2 is the default)`,
      );
    if (major === 2 && asString(am.api_version) === 'v1') {
      // Alertmanager v0.27 answers every /api/v1 request with 410 Gone (api/api.go:166, api/v1_deprecation_router.go:62 at v0.27.0).
      const gone = index.workloads
        .flatMap((w) => programProcesses(w))
        .filter((p) => p.program === 'alertmanager')
        .map((p) => p.version)
        .find((v) => {
          const parsed = parseVersion(v);
          return parsed !== undefined && parsed[0] === 0 && parsed[1] >= 27;
        });
      if (gone)
        out.push(
          `alerting.alertmanagers[${i}] has api_version: v1, and the Alertmanager of this input (${gone}) answers API v1 with 410 Gone from v0.27: prometheus ${minorOf(server.version)} sends no alert; write api_version: v2`,
        );
    }
    for (const target of asArray(am.static_configs).flatMap((sc) => asArray(asRecord(sc)?.targets)))
      out.push(...staticTargetProblems(index, workload, String(target), `alerting.alertmanagers[${i}]`, asString(am.scheme) ?? 'http'));
    const relabels = asArray(am.relabel_configs);
    for (const sd of asArray(am.kubernetes_sd_configs).map(asRecord)) {
      const role = asString(sd?.role) ?? '';
      const label = PORT_NAME_LABEL[role];
      if (!label) continue;
      const portKeeps = keepRegexes(relabels, label);
      if (portKeeps.length === 0) continue;
      const namespacesCfg = asRecord(sd?.namespaces);
      const names = asArray(namespacesCfg?.names).map(String);
      const inScope = (ns: string | undefined) =>
        names.length > 0 ? names.includes(ns ?? '') : namespacesCfg?.own_namespace === true ? sameNamespace(ns, workload.namespace) : true;
      const serviceKeeps = keepRegexes(relabels, '__meta_kubernetes_service_name');
      // What the SD sees: the Alertmanager Services in scope (kept by name), or for role pod their pods' container ports.
      const services = index
        .ofKind('Service')
        .filter((s) => inScope(s.object.metadata.namespace))
        .filter((s) => serviceKeeps.every((re) => re.test(s.object.metadata.name)))
        .filter((s) => selectedAlertmanagers(index, s).length > 0);
      let portNames: string[];
      if (role === 'pod') {
        const pods = index.workloads.filter((w) => inScope(w.namespace) && programProcesses(w).some((p) => p.program === 'alertmanager'));
        if (pods.length === 0) continue;
        portNames = pods.flatMap((w) =>
          w.containers
            .filter((c) => imageProgram(c.image) === 'alertmanager')
            .flatMap((c) => asArray(c.raw.ports).map((x) => asString(asRecord(x)?.name) ?? '')),
        );
      } else {
        if (services.length === 0) continue;
        portNames = services.flatMap((s) => asArray(asRecord(s.object.spec)?.ports).map((x) => asString(asRecord(x)?.name) ?? ''));
      }
      if (portNames.some((name) => portKeeps.every((re) => re.test(name)))) continue;
      const where =
        role === 'pod'
          ? 'the Alertmanager pods name their ports'
          : `Service ${services.map((s) => s.object.metadata.name).join(', ')} names its ports`;
      const shown = portNames.filter(Boolean);
      out.push(
        `alerting.alertmanagers[${i}] keeps ${label} matching ${portKeeps.map((re) => re.source.slice(4, -2)).join(' and ')}, and ${where} ${shown.length ? shown.join(', ') : '(none: unnamed ports)'}: Prometheus discovers no Alertmanager and drops every alert; ${shown.length ? `write regex: ${shown.find((n) => /web|http/.test(n)) ?? shown[0]}` : 'name the web port and keep that name'}`,
      );
    }
  });
  return out;
}

/**
 * Alertmanager replicas that find each other and their configuration, and Prometheus servers that find
 * them: every finding is a process that exits or a cluster that sends each notification once per replica.
 */
export const alertmanagerWiring: Policy = {
  id: 'alertmanager-wiring',
  severity: 'error',
  description:
    'Alertmanager replicas gossip (peers with a port, naming a Service that reaches their cluster port; peers at all when replicas > 1), read their config key, and Prometheus finds them (API v2 on v3, port names that match).',
  remediation:
    'Give every replica --cluster.peer=<pod>.<headless service>:<cluster port>, mount the key --config.file names, and write api_version v2 and the port name the Alertmanager Service uses.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    for (const p of programProcesses(workload)) {
      if (p.program !== 'alertmanager') continue;
      for (const message of [...peerProblems(index, workload, p), ...configKeyProblems(index, workload, p)])
        out.push({ message: `container ${p.container.name}: ${message}` });
    }
    for (const message of prometheusProblems(index, workload)) out.push({ message });
    return out;
  },
};
