import { EXPOSED_ADDRESS_ANNOTATION, FLEET_LABEL, FLEET_ROLE_LABEL } from '../../core/labels.js';
import { asArray, asRecord, asString, mapSelects, resolveFile, type Container, type Index, type Workload } from './model.js';
import { externalLabelsOf, prometheusConfigOf, yamlIn } from './thanos.js';
import { producersOf, type Producer } from './cluster.js';
import type { CheckedSet, InputObject } from './types.js';

export { EXPOSED_ADDRESS_ANNOTATION, FLEET_LABEL, FLEET_ROLE_LABEL };

/**
 * A fleet as the rendered overlays show it: each overlay's Namespace carries its fleet (the
 * observer's name) and its role, stamped by the generator, so the rules across a fleet read the
 * rendered objects and never the registry.
 */
export interface FleetMember {
  readonly set: string;
  readonly index: Index;
  readonly role: 'observer' | 'leaf' | 'agent';
  readonly fleet: string;
  /** The Namespace that says so: where findings about the overlay as a whole are reported. */
  readonly namespace: InputObject;
}

export interface Fleet {
  readonly name: string;
  readonly observer?: FleetMember;
  readonly leaves: FleetMember[];
  readonly agents: FleetMember[];
}

export function memberOf(set: CheckedSet): FleetMember | undefined {
  for (const input of set.index.ofKind('Namespace')) {
    const labels = asRecord(input.object.metadata.labels);
    const fleet = asString(labels?.[FLEET_LABEL]);
    const role = asString(labels?.[FLEET_ROLE_LABEL]);
    if (fleet && (role === 'observer' || role === 'leaf' || role === 'agent'))
      return { set: set.name, index: set.index, role, fleet, namespace: input };
  }
  return undefined;
}

/** The fleets among the rendered sets, by fleet name, in the sets' order. */
export function fleetsOf(sets: readonly CheckedSet[]): Fleet[] {
  const byName = new Map<string, { name: string; observer?: FleetMember; leaves: FleetMember[]; agents: FleetMember[] }>();
  for (const set of sets) {
    const member = memberOf(set);
    if (!member) continue;
    const fleet = byName.get(member.fleet) ?? { name: member.fleet, leaves: [], agents: [] };
    byName.set(member.fleet, fleet);
    if (member.role === 'observer') fleet.observer ??= member;
    else (member.role === 'leaf' ? fleet.leaves : fleet.agents).push(member);
  }
  return [...byName.values()];
}

/** An endpoint reachable from other clusters: a LoadBalancer Service or a TLSRoute the generator stamped with its address. */
export interface Exposure {
  readonly input: InputObject;
  /** host:port other clusters dial. */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** `app.kubernetes.io/name` of what it exposes (thanos-query, thanos-receive). */
  readonly component?: string;
}

export function exposuresOf(index: Index): Exposure[] {
  const out: Exposure[] = [];
  for (const input of [...index.ofKind('Service'), ...index.ofKind('TLSRoute')]) {
    const address = asString(asRecord(input.object.metadata.annotations)?.[EXPOSED_ADDRESS_ANNOTATION]);
    const m = address ? /^(.+):(\d+)$/.exec(address) : undefined;
    if (!address || !m) continue;
    out.push({
      input,
      address,
      host: m[1],
      port: Number(m[2]),
      component: asString(asRecord(input.object.metadata.labels)?.['app.kubernetes.io/name']),
    });
  }
  return out;
}

/**
 * The workloads an exposure sends its traffic to: the pods a LoadBalancer Service selects, or those
 * of the Services a TLSRoute's backendRefs name (a Receive split into routers and ingestors exposes
 * its routers only).
 */
export function exposedWorkloads(index: Index, exposure: Exposure): Workload[] {
  const o = exposure.input.object;
  const spec = asRecord(o.spec);
  const selectors: Record<string, unknown>[] = [];
  if (o.kind === 'Service') {
    const selector = asRecord(spec?.selector);
    if (selector) selectors.push(selector);
  } else {
    for (const rule of asArray(spec?.rules)) {
      for (const ref of asArray(asRecord(rule)?.backendRefs)) {
        const name = asString(asRecord(ref)?.name);
        const service = name ? index.find('Service', o.metadata.namespace, name) : undefined;
        const selector = asRecord(asRecord(service?.object.spec)?.selector);
        if (selector) selectors.push(selector);
      }
    }
  }
  return index.workloads.filter((w) => selectors.some((selector) => mapSelects(selector, w.podLabels)));
}

/** A cert-manager Certificate: the Secret it writes and the names it certifies. */
export interface CertificateView {
  readonly input: InputObject;
  readonly secretName: string;
  readonly dnsNames: readonly string[];
}

export function certificatesOf(index: Index): CertificateView[] {
  return index.ofKind('Certificate').flatMap((input) => {
    const spec = asRecord(input.object.spec);
    const secretName = asString(spec?.secretName);
    return secretName ? [{ input, secretName, dnsNames: asArray(spec?.dnsNames).map(String) }] : [];
  });
}

/** TLS files a client or server reads, with the Secret each comes from (undefined: not a Secret, or unset). */
export interface TlsFiles {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

export type TlsRole = 'ca' | 'cert' | 'key';

/** The Secret behind a file path in a container, through its volume mounts. */
export function secretOfFile(workload: Workload, container: Container, path: string | undefined): string | undefined {
  if (!path) return undefined;
  const source = resolveFile(workload, container, path);
  return source.from === 'secret' ? source.name : undefined;
}

/**
 * What produces a Secret in the set: a Certificate (cert-manager writes it), or the overlay's
 * secret mode (an ExternalSecret, a SealedSecret, a Secret in the input). Undefined: nothing does,
 * and the pod never starts.
 */
export function secretProducer(index: Index, namespace: string | undefined, secret: string): string | undefined {
  const certificate = certificatesOf(index).find(
    (c) =>
      c.secretName === secret &&
      (namespace === undefined || c.input.object.metadata.namespace === undefined || c.input.object.metadata.namespace === namespace),
  );
  if (certificate) return `Certificate ${certificate.input.object.metadata.name}`;
  const view = index.secret(namespace, secret);
  return view ? `${view.kind} ${view.input.object.metadata.name}` : undefined;
}

/** The Certificate writing `secret`, when one does. */
export function certificateOfSecret(index: Index, secret: string | undefined): CertificateView | undefined {
  return secret === undefined ? undefined : certificatesOf(index).find((c) => c.secretName === secret);
}

/** One endpoint the observer's Query dials in another cluster (an entry of its endpoint SD config carrying TLS, or a host outside the cluster). */
export interface RemoteEndpoint {
  readonly workload: Workload;
  readonly container: Container;
  readonly address: string;
  /** The name Query verifies in the server's certificate: client_config.server_name, else the address' host. */
  readonly serverName: string;
  readonly tls?: TlsFiles;
}

const IN_CLUSTER = /(^dns(srv)?(noa)?\+)|(\.svc(\.[a-z0-9.-]+)?(:\d+)?$)|(^[a-z0-9-]+(:\d+)?$)|\$\(/;

export function remoteEndpointsOf(index: Index): RemoteEndpoint[] {
  const out: RemoteEndpoint[] = [];
  for (const { workload, container } of index.thanos('query')) {
    const texts = [...container.flags.values('--endpoint.sd-config')];
    for (const path of container.flags.values('--endpoint.sd-config-file')) {
      const text = index.fileText(workload, container, path).text;
      if (text !== undefined) texts.push(text);
    }
    for (const text of texts) {
      for (const item of asArray(asRecord(yamlIn(index, text))?.endpoints)) {
        const entry = asRecord(item);
        const address = asString(entry?.address);
        if (!address) continue;
        const client = asRecord(entry?.client_config);
        const tls = asRecord(client?.tls_config);
        if (!tls && IN_CLUSTER.test(address)) continue;
        const host = address.replace(/:\d+$/, '');
        out.push({
          workload,
          container,
          address,
          serverName: asString(client?.server_name) || host,
          ...(tls ? { tls: { ca: asString(tls.ca_file), cert: asString(tls.cert_file), key: asString(tls.key_file) } } : {}),
        });
      }
    }
  }
  return out;
}

/** A Thanos server's TLS flags (leaf Query gRPC, observer Receive remote write). */
export function serverTls(container: Container, prefix: '--grpc-server-tls' | '--remote-write.server-tls'): TlsFiles {
  return {
    cert: container.flags.get(`${prefix}-cert`),
    key: container.flags.get(`${prefix}-key`),
    ca: container.flags.get(`${prefix}-client-ca`),
  };
}

/** One remote_write of a Prometheus (an agent's), with its TLS. */
export interface RemoteWrite {
  readonly workload: Workload;
  readonly container: Container;
  readonly url: string;
  readonly serverName: string;
  readonly tls: TlsFiles;
}

export function remoteWritesOf(index: Index): RemoteWrite[] {
  const out: RemoteWrite[] = [];
  for (const workload of index.workloads) {
    const config = prometheusConfigOf(index, workload);
    if (!config) continue;
    for (const item of asArray(asRecord(yamlIn(index, config.text))?.remote_write)) {
      const rw = asRecord(item);
      const url = asString(rw?.url);
      if (!url) continue;
      const tls = asRecord(rw?.tls_config);
      let host = '';
      try {
        host = new URL(url).hostname;
      } catch {
        host = '';
      }
      out.push({
        workload,
        container: config.server,
        url,
        serverName: asString(tls?.server_name) || host,
        tls: { ca: asString(tls?.ca_file), cert: asString(tls?.cert_file), key: asString(tls?.key_file) },
      });
    }
  }
  return out;
}

/** Whether the workload runs Prometheus in agent mode. */
export function isAgent(workload: Workload): boolean {
  return workload.containers.some((c) => !c.thanos && c.flags.has('--agent'));
}

/**
 * The label sets a fleet member's data carries into the observer: its producers' (sidecars, Ruler,
 * Receive) and, for an agent, its Prometheus' external labels (which travel with remote write).
 */
export function labelSourcesOf(
  member: FleetMember,
): { what: string; workload: Workload; labels: Record<string, string>; perPod: readonly string[] }[] {
  const out: { what: string; workload: Workload; labels: Record<string, string>; perPod: readonly string[] }[] = [];
  for (const p of producersOf(member.index) as Producer[])
    if (p.labels) out.push({ what: p.what, workload: p.workload, labels: p.labels, perPod: p.perPod });
  for (const workload of member.index.workloads) {
    if (!isAgent(workload)) continue;
    const found = externalLabelsOf(member.index, workload);
    if (found.labels) out.push({ what: 'Prometheus agent', workload, labels: found.labels, perPod: found.perPod });
  }
  return out;
}
