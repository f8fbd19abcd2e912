import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asArray, asRecord, asString, mapSelects, sameNamespace, type Container, type Index, type Workload } from '../lib/model.js';
import { prometheusContainer } from '../lib/thanos.js';
import { discoveryAddresses, parseSrv } from '../lib/discovery.js';
import type { Diagnostic, InputObject, Policy } from '../lib/types.js';

/**
 * Addresses between components point at something real: a Service in the input, a port it has, the
 * right protocol behind it; listen flags agree with declared ports, and probes hit a port the
 * process opens. Host names outside the cluster are noted once per set, never errors.
 */

type Protocol = 'http' | 'grpc';

interface Target {
  readonly address: string;
  readonly where: string;
  readonly protocol: Protocol;
}

/** The listen ports a Thanos or Prometheus container opens, by protocol (flag defaults when unset). */
export function listenPorts(c: Container): { port: number; protocol: Protocol; flag: string }[] {
  const out: { port: number; protocol: Protocol; flag: string }[] = [];
  const add = (flag: string, fallback: number | undefined, protocol: Protocol, repeatable = false) => {
    const given = repeatable ? c.flags.values(flag) : [c.flags.get(flag)].filter((v): v is string => v !== undefined);
    const ports = given.length > 0 ? given.map((value) => Number(/:(\d+)$/.exec(value)?.[1])) : [fallback];
    for (const port of ports) if (port !== undefined && Number.isInteger(port)) out.push({ port, protocol, flag });
  };
  if (c.thanos) {
    add('--http-address', 10902, 'http');
    if (c.thanos !== 'query-frontend' && c.thanos !== 'tools') add('--grpc-address', 10901, 'grpc');
    if (c.thanos === 'receive') add('--remote-write.address', 19291, 'http');
  } else {
    // Prometheus listens on every --web.listen-address given (StringsVar, "Can be repeated": cmd/prometheus/main.go:305-306
    // at v2.55.1, :418-419 at v3.13.2).
    add('--web.listen-address', 9090, 'http', true);
  }
  return out;
}

/** Whether a listen flag is set to a value whose port cannot be read (`$(HTTP_ADDRESS)`): what it opens is unknown. */
function listenUnknown(c: Container): boolean {
  return ['--http-address', '--grpc-address', '--remote-write.address', '--web.listen-address'].some((flag) => {
    return c.flags.values(flag).some((value) => !/:\d+$/.test(value));
  });
}

/** The addresses a Thanos container dials, with the protocol each must speak. */
function targetsOf(index: Index, workload: Workload, c: Container): Target[] {
  const out: Target[] = [];
  const http = (flag: string) => {
    for (const address of c.flags.values(flag)) out.push({ address, where: flag, protocol: 'http' });
  };
  if (c.thanos === 'query-frontend') http('--query-frontend.downstream-url');
  if (c.thanos === 'sidecar') http('--prometheus.url');
  if (c.thanos === 'query' || c.thanos === 'rule') {
    for (const a of discoveryAddresses(index, workload, c).addresses) {
      // A fleet's leaf in another cluster, over TLS: fleet-wiring compares it with the leaf's rendered exposure.
      if (a.crossCluster) continue;
      const ruler = c.thanos === 'rule';
      // A ruler queries and alerts over HTTP; Query reaches its endpoints over gRPC.
      out.push({ address: a.address, where: a.where, protocol: ruler ? 'http' : 'grpc' });
    }
  }
  return out;
}

interface Parsed {
  readonly host: string;
  readonly port?: number;
  readonly dnsSrv: boolean;
}

/** Host and port of an address; undefined when the port is not a number (a `$(VAR)`, a port name), which is not checked. */
function parseAddress(address: string, protocol: Protocol): Parsed | undefined {
  let rest = address.trim();
  const dnsSrv = /^dnssrv(noa)?\+/.test(rest);
  // Thanos v0.42.4 pkg/discovery/dns/provider.go:113 and resolver.go:36-37: dns+, dnsdualstack+ (A and AAAA), dnssrv+, dnssrvnoa+.
  rest = rest.replace(/^(dns|dnsdualstack|dnssrv|dnssrvnoa)\+/, '');
  const scheme = /^([a-z]+):\/\//.exec(rest)?.[1];
  rest = rest.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(rest);
  if (!m) return undefined;
  // No port: an HTTP client dials 80, or 443 for https (Thanos v0.42.4 pkg/clientconfig/config.go:61-63 adds
  // http:// to a bare Ruler --query address); a gRPC address without a port is left to the resolver.
  const port = m[2] !== undefined ? Number(m[2]) : scheme === 'https' ? 443 : scheme === 'http' || protocol === 'http' ? 80 : undefined;
  return { host: m[1].replace(/\.$/, ''), port, dnsSrv };
}

/**
 * Stands for "the pod's own namespace" where the input does not say which it is: one DNS label (an address
 * is split at its dots), and no namespace can be named so (namespace names have no underscore).
 */
const OWN_NAMESPACE = 'own_namespace';

const LOCAL = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]']);

const namespacesCache = new WeakMap<Index, Set<string>>();

/** The namespaces the input's objects are in, once per set (read for every address). */
function namespacesOf(index: Index): Set<string> {
  let set = namespacesCache.get(index);
  // Stryker disable next-line ConditionalExpression: a cache; computing the set again gives the same set.
  if (!set) {
    set = new Set();
    for (const i of index.inputs) if (i.object.metadata.namespace) set.add(i.object.metadata.namespace);
    namespacesCache.set(index, set);
  }
  return set;
}

const alertmanagerCache = new WeakMap<Index, Set<string>>();

/** Namespaces where the input runs an Alertmanager (its image): there a missing Service is a wrong name, not one deployed elsewhere. */
function alertmanagerNamespaces(index: Index): Set<string> {
  let set = alertmanagerCache.get(index);
  if (!set) {
    set = new Set();
    for (const w of index.workloads) {
      if (
        w.containers.some(
          (c) =>
            c.image
              .split('@')[0]
              .replace(/:[^/:]*$/, '')
              .split('/')
              .pop() === 'alertmanager',
        )
      )
        set.add(w.namespace ?? '');
    }
    alertmanagerCache.set(index, set);
  }
  return set;
}

/** Whether the host names the cluster (a Service or pod DNS name); undefined when it is an outside name. */
function clusterName(
  host: string,
  ownNamespace: string | undefined,
  index: Index,
): { service: string; namespace?: string; pod?: string } | undefined {
  if (host.includes('$(')) return undefined;
  const labels = host.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
  const explicit = /\.svc(\.cluster\.local)?$/.test(host);
  if (labels.length === 1) return { service: labels[0], namespace: ownNamespace };
  const namespaces = namespacesOf(index);
  const ns = (label: string) => (label === OWN_NAMESPACE ? ownNamespace : label);
  if (labels.length === 2 && (explicit || namespaces.has(labels[1]) || labels[1] === OWN_NAMESPACE))
    return { service: labels[0], namespace: ns(labels[1]) };
  if (labels.length === 3 && explicit) return { pod: labels[0], service: labels[1], namespace: ns(labels[2]) };
  return undefined;
}

/** The protocol a Service port leads to: by its name, else by what the selected containers listen with on its target. */
function servicePortProtocol(index: Index, service: InputObject, port: Record<string, unknown>): Protocol | undefined {
  const name = asString(port.name) ?? '';
  if (/grpc/i.test(name)) return 'grpc';
  if (/^(http|https|web|metrics|remote-write)/i.test(name)) return 'http';
  const selector = asRecord(asRecord(service.object.spec)?.selector);
  const target = port.targetPort ?? port.port;
  for (const w of index.workloads) {
    if (!sameNamespace(w.namespace, service.object.metadata.namespace) || !mapSelects(selector, w.podLabels)) continue;
    for (const c of w.containers) {
      let number: number | undefined = typeof target === 'number' ? target : /^\d+$/.test(String(target)) ? Number(target) : undefined;
      for (const p of asArray(c.raw.ports)) {
        const cp = asRecord(p);
        if (cp && typeof target === 'string' && cp.name === target && typeof cp.containerPort === 'number') number = cp.containerPort;
      }
      const listen = (c.thanos || prometheusContainer(w) === c ? listenPorts(c) : []).find((l) => l.port === number);
      if (listen) return listen.protocol;
    }
  }
  return undefined;
}

const externalNoted = new WeakMap<Index, Set<string>>();

/** One warning per host per rendered set: an outside address is worth saying once, not on every pod that uses it. */
function noteOnce(index: Index, host: string, message: string, out: Diagnostic[]): void {
  let noted = externalNoted.get(index);
  if (!noted) {
    noted = new Set();
    externalNoted.set(index, noted);
  }
  if (noted.has(host)) return;
  noted.add(host);
  out.push({ message, severity: 'warning' });
}

function checkTarget(index: Index, workload: Workload, c: Container, t: Target, out: Diagnostic[]): void {
  const parsed = parseAddress(t.address, t.protocol);
  if (!parsed) return;
  const at = `container ${c.name} ${t.where}=${t.address}`;
  if (parsed.dnsSrv) {
    // Whether the Service and its named port exist is discovery-headless' to say; here, what the port speaks.
    const srv = parseSrv(t.address, workload.namespace);
    const service = srv?.port ? index.find('Service', srv.namespace, srv.service) : undefined;
    const port = asArray(asRecord(service?.object.spec)?.ports)
      .map(asRecord)
      .find((p) => p?.name === srv?.port);
    if (!service || !port) return;
    const protocol = servicePortProtocol(index, service, port);
    if (protocol && protocol !== t.protocol) {
      out.push({
        message: `${at}: Service ${srv!.service} port ${srv!.port} leads to ${protocol === 'grpc' ? 'gRPC' : 'HTTP'}, but ${t.where} speaks ${t.protocol === 'grpc' ? 'gRPC' : 'HTTP'}`,
      });
    }
    return;
  }
  if (LOCAL.has(parsed.host)) {
    // The same pod: another container of it must open that port (a sidecar pointed at its own port asks itself).
    const others = workload.containers.filter((other) => other !== c);
    if (others.some(listenUnknown)) return;
    const opened =
      others.some((other) =>
        (other.thanos || prometheusContainer(workload) === other ? listenPorts(other) : []).some((l) => l.port === parsed.port),
      ) || others.some((other) => asArray(other.raw.ports).some((p) => asRecord(p)?.containerPort === parsed.port));
    if (parsed.port !== undefined && !opened)
      out.push({
        message: `${at}: no other container of this pod listens on port ${parsed.port}${listenPorts(c).some((l) => l.port === parsed.port) ? ` (${c.name} itself does: it would ask itself)` : ''}`,
      });
    return;
  }
  if (/^\[.*\]$|^\d+\.\d+\.\d+\.\d+$/.test(parsed.host)) {
    // An IP literal (a pod's or a Service's): nothing in the input says whose it is, and it changes when they are recreated.
    noteOnce(
      index,
      parsed.host,
      `${at}: ${parsed.host} is an IP address; it was not checked (a Service name survives the pods and Service being recreated)`,
      out,
    );
    return;
  }
  // `$(NAMESPACE)` from the downward API is the pod's own namespace (unknown for a manifest applied with -n).
  const host = parsed.host.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, v: string) =>
    c.env.get(v)?.namespace ? (workload.namespace ?? OWN_NAMESPACE) : whole,
  );
  const name = clusterName(host, workload.namespace, index);
  if (!name) {
    if (parsed.host.includes('$(')) return;
    noteOnce(
      index,
      parsed.host,
      `${at}: ${parsed.host} is outside the cluster (or names a namespace not in the input); it was not checked`,
      out,
    );
    return;
  }
  const namespaces = namespacesOf(index);
  if (name.namespace && !namespaces.has(name.namespace) && namespaces.size > 0) {
    // Another namespace the input does not cover (a shared Alertmanager): nothing here can say whether it is there.
    noteOnce(index, `${parsed.host}`, `${at}: namespace ${name.namespace} is not in the input; the address was not checked`, out);
    return;
  }
  const service = index.find('Service', name.namespace, name.service);
  if (!service && /alertmanager/.test(t.where) && !alertmanagerNamespaces(index).has(name.namespace ?? '')) {
    // Alertmanager is usually deployed on its own (kube-prometheus, a shared one): say so, once.
    noteOnce(
      index,
      parsed.host,
      `${at}: Alertmanager Service ${name.service} is not in the input; make sure it exists in namespace ${name.namespace ?? "(the pod's)"}`,
      out,
    );
    return;
  }
  if (!service) {
    out.push({
      message: `${at}: names Service ${name.service}${name.namespace ? ` in namespace ${name.namespace}` : ''}, which is not in the input; the address does not resolve`,
    });
    return;
  }
  // An ExternalName Service is a DNS alias: its ports (usually none) say nothing of where it leads.
  if (asRecord(service.object.spec)?.type === 'ExternalName') return;
  const ports = asArray(asRecord(service.object.spec)?.ports)
    .map(asRecord)
    .filter((p): p is Record<string, unknown> => !!p);
  const port = ports.find((p) => p.port === parsed.port);
  if (parsed.port !== undefined && !port) {
    out.push({
      message: `${at}: Service ${name.service} has no port ${parsed.port} (it has ${ports.map((p) => `${String(p.name ?? '')}:${String(p.port)}`).join(', ') || 'none'})`,
    });
    return;
  }
  if (!port) return;
  const protocol = servicePortProtocol(index, service, port);
  if (protocol && protocol !== t.protocol) {
    out.push({
      message: `${at}: Service ${name.service} port ${String(port.port)} leads to ${protocol === 'grpc' ? 'gRPC' : 'HTTP'}, but ${t.where} speaks ${t.protocol === 'grpc' ? 'gRPC' : 'HTTP'}`,
    });
  }
}

/** Listen flags against declared container ports, and probes against what the process opens. */
function listenProblems(c: Container): string[] {
  const out: string[] = [];
  if (listenUnknown(c)) return out;
  const listen = listenPorts(c);
  const declared = asArray(c.raw.ports)
    .map(asRecord)
    .filter((p): p is Record<string, unknown> => !!p);
  for (const p of declared) {
    const name = asString(p.name) ?? '';
    // A quoted containerPort is the schema's to report.
    if (typeof p.containerPort !== 'number') continue;
    // Receive's remote-write port is HTTP on a listen flag of its own; `http` is the --http-address one.
    const remoteWrite = /^(remote-write|rw)$/.test(name);
    const protocol: Protocol | undefined = /grpc/.test(name) ? 'grpc' : /^http$|^web$/.test(name) || remoteWrite ? 'http' : undefined;
    // The listen ports of the port's protocol (Receive's two HTTP flags told apart by the port's name; Prometheus
    // may listen on several); none for a name that says no protocol.
    const mine = listen.filter((l) => l.protocol === protocol && (l.flag === '--remote-write.address') === remoteWrite);
    if (mine.length > 0 && !mine.some((l) => l.port === p.containerPort))
      out.push(`port ${name} is declared as ${p.containerPort}, but ${mine[0].flag} listens on ${mine.map((l) => l.port).join(' and ')}`);
  }
  const byName = new Map(declared.map((p) => [asString(p.name), p.containerPort]));
  for (const probeName of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = asRecord(c.raw[probeName]);
    const httpGet = asRecord(probe?.httpGet);
    const handler = httpGet ?? asRecord(probe?.tcpSocket);
    if (!handler) continue;
    const raw = handler.port;
    // A string is a port name, even "10902" (which the API server refuses: a name has a letter); a name the
    // container does not declare is the API server's to refuse.
    const port = typeof raw === 'number' ? raw : typeof raw === 'string' ? byName.get(raw) : undefined;
    if (typeof port !== 'number') continue;
    const hits = listen.filter((l) => l.port === port);
    if (hits.length === 0)
      out.push(
        `${probeName} hits port ${port}${typeof raw === 'string' ? ` (${raw})` : ''}, which none of its listen flags opens (${listen.map((l) => `${l.flag} ${l.port}`).join(', ')}); the probe fails and the pod restarts`,
      );
    else if (httpGet && hits.every((l) => l.protocol !== 'http')) out.push(`${probeName} sends HTTP to port ${port}, which serves gRPC`);
  }
  return out;
}

/**
 * Addresses: Query Frontend's downstream URL, the sidecar's Prometheus URL, Ruler query and Alertmanager
 * URLs, and Query `dns+`/static endpoints, in bare, `<svc>.<ns>`, `*.svc...` and `$(NAMESPACE)` forms; the
 * protocol (HTTP or gRPC) is the one the port leads to (for `dnssrv+` names, the named port's); `localhost`
 * is a port another container of the pod opens. Host names outside the cluster, namespaces the input does
 * not cover and an Alertmanager deployed elsewhere (none runs in that namespace of the input) are noted once
 * as not checked; an ExternalName Service is an alias whose ports are not checked. Declared `http`/`grpc`
 * container ports agree with the listen flags, and a Thanos or Prometheus container's probes hit a port it
 * opens.
 */
export const wiring: Policy = {
  id: 'wiring',
  severity: 'error',
  description:
    'Addresses between components name a Service in the input with that port and protocol, and declared ports, listen flags and probes agree.',
  remediation:
    'Point the address at `<service>.<namespace>.svc:<port>` of a Service that exists and serves that protocol, and keep --http-address/--grpc-address, the declared ports and the probes on the same port numbers.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload) return [];
    const out: Diagnostic[] = [];
    const server = prometheusContainer(workload);
    for (const c of workload.containers) {
      if (!c.thanos && c !== server) continue;
      for (const t of c.thanos ? targetsOf(index, workload, c) : []) checkTarget(index, workload, c, t, out);
      for (const message of listenProblems(c)) out.push({ message: `container ${c.name}: ${message}` });
    }
    return out;
  },
};
