import { asArray, asRecord, asString, type Container, type Index, type Workload } from './model.js';
import { yamlIn } from './thanos.js';

/**
 * The addresses a Thanos Query or ruler discovers its peers at (store and endpoint flags and SD
 * configs, the ruler's query and Alertmanager addresses), and the `dnssrv+` names among them.
 */

export interface DiscoveryAddress {
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

export interface ARecordName {
  readonly service: string;
  readonly namespace?: string;
  /** Undefined when the address gives none: Thanos' A lookup then fails ("missing port in address given for dns lookup"). */
  readonly port?: string;
}

/** Parses `dns+svc.ns.svc.cluster.local:port` and `dnsdualstack+` (scheme and path allowed); undefined if not an A lookup. */
export function parseA(address: string, ownNamespace: string | undefined): ARecordName | undefined {
  const m = /^(?:dns|dnsdualstack)\+(?:[a-z]+:\/\/)?([^/\s]+)/.exec(address.trim());
  if (!m) return undefined;
  const portMatch = /:(\d+|\$\([A-Za-z_][A-Za-z0-9_]*\))$/.exec(m[1]);
  const host = portMatch ? m[1].slice(0, portMatch.index) : m[1];
  const labels = host.split('.').filter(Boolean);
  let namespace: string | undefined = labels.length >= 2 && labels[1] !== 'svc' ? labels[1] : ownNamespace;
  if (namespace?.includes('$(')) namespace = undefined;
  return { service: labels[0] ?? '', namespace, port: portMatch?.[1] };
}

function fromSdYaml(value: unknown, where: string, fanOut: boolean, out: DiscoveryAddress[]): void {
  const doc = asRecord(value);
  for (const e of asArray(doc?.endpoints)) {
    const entry = asRecord(e);
    const address = asString(entry?.address);
    // An endpoint group is one gRPC target load-balanced by the client: any pod will do.
    const crossCluster = asRecord(asRecord(entry?.client_config)?.tls_config) !== undefined;
    if (address) out.push({ address, where, fanOut: fanOut && entry?.group !== true, ...(crossCluster ? { crossCluster } : {}) });
  }
}

function fromFileSd(value: unknown, where: string, fanOut: boolean, out: DiscoveryAddress[]): void {
  for (const group of asArray(value))
    for (const t of asArray(asRecord(group)?.targets)) if (typeof t === 'string') out.push({ address: t, where, fanOut });
}

function fromRulerConfig(value: unknown, where: string, fanOut: boolean, out: DiscoveryAddress[]): void {
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
export function discoveryAddresses(index: Index, workload: Workload, c: Container): { addresses: DiscoveryAddress[]; notes: string[] } {
  const out: DiscoveryAddress[] = [];
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
