import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asArray, asRecord, asString, type Container, type Index, type Workload } from '../lib/model.js';
import { yamlIn } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

interface Address {
  readonly address: string;
  readonly where: string;
  /** Thanos connects to every address resolved (store/endpoint discovery, alertmanagers): needs a headless Service. */
  readonly fanOut: boolean;
  /** An endpoint in another cluster dialled with TLS of its own (client_config.tls_config): fleet-wiring checks it. */
  readonly crossCluster?: boolean;
}

export interface SrvName {
  readonly port?: string;
  readonly proto?: string;
  readonly service: string;
  /** Undefined when the address leaves the namespace to the search path or to an unresolved variable. */
  readonly namespace?: string;
}

/** Parses `dnssrv+_grpc._tcp.svc.ns.svc.cluster.local[:port]` (scheme and path allowed); undefined if not dnssrv. */
export function parseSrv(address: string, ownNamespace: string | undefined): SrvName | undefined {
  const m = /^dnssrv(?:noa)?\+(?:[a-z]+:\/\/)?([^/:\s]+)/.exec(address.trim());
  if (!m) return undefined;
  const labels = m[1].split('.').filter(Boolean);
  let port: string | undefined;
  let proto: string | undefined;
  if (labels[0]?.startsWith('_') && labels[1]?.startsWith('_')) {
    port = labels.shift()!.slice(1);
    proto = labels.shift()!.slice(1);
  }
  const service = labels[0] ?? '';
  let namespace: string | undefined = labels.length >= 2 && labels[1] !== 'svc' ? labels[1] : ownNamespace;
  if (namespace?.includes('$(')) namespace = undefined;
  return { port, proto, service, namespace };
}

function fromSdYaml(value: unknown, where: string, fanOut: boolean, out: Address[]): void {
  const doc = asRecord(value);
  for (const e of asArray(doc?.endpoints)) {
    const entry = asRecord(e);
    const address = asString(entry?.address);
    // An endpoint group is one gRPC target load-balanced by the client: any pod will do.
    const crossCluster = asRecord(asRecord(entry?.client_config)?.tls_config) !== undefined;
    if (address) out.push({ address, where, fanOut: fanOut && entry?.group !== true, ...(crossCluster ? { crossCluster } : {}) });
  }
}

function fromFileSd(value: unknown, where: string, fanOut: boolean, out: Address[]): void {
  for (const group of asArray(value))
    for (const t of asArray(asRecord(group)?.targets)) if (typeof t === 'string') out.push({ address: t, where, fanOut });
}

function fromRulerConfig(value: unknown, where: string, fanOut: boolean, out: Address[]): void {
  // --query.config / --alertmanagers.config: a list (or {alertmanagers: [...]}) of {static_configs: [...]}.
  const doc = asRecord(value);
  const list = doc ? asArray(doc.alertmanagers) : asArray(value);
  for (const item of list) {
    for (const sc of asArray(asRecord(item)?.static_configs)) {
      if (typeof sc === 'string') out.push({ address: sc, where, fanOut });
      else for (const t of asArray(asRecord(sc)?.targets)) if (typeof t === 'string') out.push({ address: t, where, fanOut });
    }
  }
}

/** Every discovery address a Thanos container uses, with whether it fans out to every pod. */
export function discoveryAddresses(index: Index, workload: Workload, c: Container): { addresses: Address[]; notes: string[] } {
  const out: Address[] = [];
  const notes: string[] = [];
  const inline = (flag: string, fanOut: boolean, read: typeof fromSdYaml) => {
    for (const text of c.flags.values(flag)) read(yamlIn(index, text), flag, fanOut, out);
  };
  const file = (flag: string, fanOut: boolean, read: typeof fromSdYaml) => {
    for (const path of c.flags.values(flag)) {
      if (path.includes('*')) continue;
      const got = index.fileText(workload, c, path);
      if (got.text === undefined) notes.push(`${flag}=${path}: ${got.problem ?? 'not readable'}; its addresses were not checked`);
      else read(yamlIn(index, got.text), flag, fanOut, out);
    }
  };
  const plain = (flag: string, fanOut: boolean) => {
    for (const address of c.flags.values(flag)) out.push({ address, where: flag, fanOut });
  };
  if (c.thanos === 'query') {
    for (const flag of ['--endpoint', '--endpoint-strict', '--store', '--store-strict']) plain(flag, true);
    inline('--endpoint.sd-config', true, fromSdYaml);
    file('--endpoint.sd-config-file', true, fromSdYaml);
    file('--store.sd-files', true, fromFileSd);
  } else if (c.thanos === 'rule') {
    plain('--query', false);
    file('--query.sd-files', false, fromFileSd);
    inline('--query.config', false, fromRulerConfig);
    file('--query.config-file', false, fromRulerConfig);
    plain('--alertmanagers.url', true);
    inline('--alertmanagers.config', true, fromRulerConfig);
    file('--alertmanagers.config-file', true, fromRulerConfig);
  }
  return { addresses: out, notes };
}

export const discoveryHeadless: Policy = {
  id: 'discovery-headless',
  severity: 'error',
  description:
    "Every `dnssrv+` / `dnssrvnoa+` discovery address (Query endpoints and endpoint SD config, ruler query and alertmanager addresses) names a Service in the input, in the namespace it names, with a port named as the SRV record (`_grpc` -> `grpc`). Where Thanos connects to every pod behind the name (Query store/endpoint discovery, alertmanagers) the Service must be headless (`clusterIP: None`), or only one pod is found; a ClusterIP Service is right where any one pod will do (a ruler's query address).",
  remediation:
    'Point the address at `dnssrv+_<port-name>._tcp.<service>.<namespace>.svc.cluster.local` of a Service that exists, names that port, and is headless (clusterIP: None) when every pod must be reached.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { workload, container: c } of index.thanosContainersOf(input, 'query', 'rule')) {
      const { addresses, notes } = discoveryAddresses(index, workload, c);
      for (const note of notes) out.push({ message: `container ${c.name}: ${note}`, severity: 'warning' });
      for (const a of addresses) {
        const srv = parseSrv(a.address, workload.namespace);
        if (!srv) continue;
        const at = `container ${c.name} ${a.where} ${a.address}`;
        if (!srv.port) {
          out.push({
            message: `${at}: has no _<port>._<proto> prefix; Kubernetes publishes SRV records only as _<port-name>._tcp.<service>.<namespace>.svc`,
          });
          continue;
        }
        const service = index.find('Service', srv.namespace, srv.service);
        if (!service) {
          out.push({
            message: `${at}: names Service ${srv.service}${srv.namespace ? ` in namespace ${srv.namespace}` : ''}, which is not in the input`,
          });
          continue;
        }
        const spec = asRecord(service.object.spec) ?? {};
        const port = asArray(spec.ports)
          .map(asRecord)
          .find((p) => p?.name === srv.port);
        if (!port) {
          out.push({
            message: `${at}: Service ${srv.service} has no port named ${srv.port}, so the SRV record _${srv.port}._${srv.proto}.${srv.service} does not exist`,
          });
        } else if (srv.proto && ((port.protocol as string | undefined) ?? 'TCP').toLowerCase() !== srv.proto.toLowerCase()) {
          out.push({ message: `${at}: Service ${srv.service} port ${srv.port} is ${String(port.protocol)}, not ${srv.proto}` });
        }
        if (a.fanOut && spec.clusterIP !== 'None') {
          out.push({
            message: `${at}: Service ${srv.service} is not headless (clusterIP: None), so the SRV record names its one cluster IP and Thanos connects to one pod only`,
          });
        }
      }
    }
    return out;
  },
};
