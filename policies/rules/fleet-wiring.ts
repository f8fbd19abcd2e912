import { RECEIVE_REMOTE_WRITE_PATH } from '../../core/ports.js';
import { bucketIdentity, objstoreOf } from '../lib/thanos.js';
import { producersOf } from '../lib/cluster.js';
import {
  certificateOfSecret,
  exposedWorkloads,
  exposuresOf,
  fleetsOf,
  labelSourcesOf,
  remoteEndpointsOf,
  remoteWritesOf,
  secretOfFile,
  secretProducer,
  serverTls,
  type Exposure,
  type Fleet,
  type FleetMember,
  type TlsFiles,
} from '../lib/fleet.js';
import type { Container, Workload } from '../lib/model.js';
import type { CrossSetDiagnostic, InputObject, Policy } from '../lib/types.js';

/**
 * The wiring between the overlays of one fleet, read from what each renders: the observer's Query
 * dials exactly its leaves, agents write to the observer's Receive, TLS is complete and names what
 * the certificates certify, and the labels of every cluster's data stay apart and deduplicate.
 */

type Out = CrossSetDiagnostic[];

const say = (member: FleetMember, input: InputObject, message: string): CrossSetDiagnostic => ({ set: member.set, input, message });
const who = (member: FleetMember) => `${member.role} ${member.set}`;

function exposureOf(member: FleetMember, component: string): Exposure | undefined {
  return exposuresOf(member.index).find((e) => e.component === component);
}

/** The observer's Query endpoints are exactly its leaves' exposed addresses. */
function queryEndpoints(fleet: Fleet, out: Out): void {
  const observer = fleet.observer;
  if (!observer) return;
  const remote = remoteEndpointsOf(observer.index);
  const leaves = fleet.leaves.map((leaf) => ({ leaf, exposure: exposureOf(leaf, 'thanos-query') }));
  for (const { leaf, exposure } of leaves) {
    if (!exposure) {
      out.push(
        say(
          leaf,
          leaf.namespace,
          `leaf ${leaf.set} exposes no Query to other clusters (a LoadBalancer Service or TLSRoute to thanos-query), so its observer ${observer.set} cannot reach it`,
        ),
      );
    } else if (!remote.some((r) => r.address === exposure.address)) {
      out.push(
        say(
          leaf,
          exposure.input,
          `leaf ${leaf.set} (${exposure.address}) is missing from observer ${observer.set}'s Query endpoints: the global view has no data of this cluster`,
        ),
      );
    }
  }
  // Only a run that checks the fleet (a leaf or agent beside the observer) can tell an endpoint that is no leaf.
  if (fleet.leaves.length + fleet.agents.length === 0) return;
  for (const r of remote) {
    if (leaves.some(({ exposure }) => exposure?.address === r.address)) continue;
    const known = leaves.filter(({ exposure }) => exposure).map(({ leaf, exposure }) => `${leaf.set} at ${exposure!.address}`);
    out.push(
      say(
        observer,
        r.workload.input,
        `observer ${observer.set}'s Query dials ${r.address}, which is no leaf of fleet ${fleet.name} (leaves: ${known.length ? known.join(', ') : 'none exposed'})`,
      ),
    );
  }
}

function receiveUrl(exposure: Exposure): string {
  return `https://${exposure.host}${exposure.port === 443 ? '' : `:${exposure.port}`}${RECEIVE_REMOTE_WRITE_PATH}`;
}

/** Each agent writes to its observer's exposed Receive; the observer runs one when an agent names it. */
function agentWrites(fleet: Fleet, out: Out): void {
  const observer = fleet.observer;
  if (!observer || fleet.agents.length === 0) return;
  const agents = fleet.agents.map((a) => a.set).join(', ');
  if (observer.index.thanos('receive').length === 0) {
    out.push(
      say(
        observer,
        observer.namespace,
        `observer ${observer.set} runs no Receive, but agent ${agents} of fleet ${fleet.name} remote-writes to it`,
      ),
    );
    return;
  }
  const exposure = exposureOf(observer, 'thanos-receive');
  if (!exposure)
    out.push(
      say(
        observer,
        observer.namespace,
        `observer ${observer.set} does not expose its Receive to other clusters, but agent ${agents} remote-writes to it`,
      ),
    );
  const expected = exposure ? receiveUrl(exposure) : undefined;
  for (const agent of fleet.agents) {
    const writes = remoteWritesOf(agent.index);
    if (writes.length === 0) {
      out.push(
        say(
          agent,
          agent.namespace,
          `agent ${agent.set} remote-writes nowhere; it should write to observer ${observer.set}'s Receive${expected ? ` (${expected})` : ''}`,
        ),
      );
    } else if (expected && !writes.some((w) => w.url === expected)) {
      out.push(
        say(
          agent,
          writes[0].workload.input,
          `agent ${agent.set} writes to ${writes.map((w) => w.url).join(', ')}, not to observer ${observer.set}'s Receive (${expected})`,
        ),
      );
    }
  }
}

/** A TLS party's files: all three set, each from a Secret that a Certificate or the overlay's secret mode produces. */
function tlsFiles(
  member: FleetMember,
  workload: Workload,
  container: Container,
  files: TlsFiles,
  what: string,
  names: Record<keyof TlsFiles, string>,
  out: Out,
): void {
  const missing = (Object.keys(names) as (keyof TlsFiles)[]).filter((k) => !files[k]);
  if (missing.length > 0) {
    out.push(
      say(
        member,
        workload.input,
        `${what} has no ${missing.map((k) => names[k]).join(', ')}: cross-cluster traffic needs TLS with a client certificate both ways`,
      ),
    );
    return;
  }
  for (const key of Object.keys(names) as (keyof TlsFiles)[]) {
    const secret = secretOfFile(workload, container, files[key]);
    if (!secret) {
      out.push(say(member, workload.input, `${what}: ${names[key]} ${files[key]} is not in a mounted Secret`));
    } else if (!secretProducer(member.index, workload.namespace, secret)) {
      out.push(
        say(
          member,
          workload.input,
          `${what}: ${names[key]} comes from Secret ${secret}, which no Certificate (or secret mode) in ${member.set} produces`,
        ),
      );
    }
  }
}

const CLIENT = { ca: 'ca_file', cert: 'cert_file', key: 'key_file' } as const;

/** Every cross-cluster client and server has its TLS, and each client verifies a name the server's certificate holds. */
function tls(fleet: Fleet, out: Out): void {
  const observer = fleet.observer;
  const leafServers = new Map<string, { member: FleetMember; dnsNames?: readonly string[]; certificate?: string }>();
  for (const leaf of fleet.leaves) {
    for (const { workload, container } of leaf.index.thanos('query')) {
      const files = serverTls(container, '--grpc-server-tls');
      tlsFiles(
        leaf,
        workload,
        container,
        files,
        `leaf ${leaf.set}'s Query (gRPC to observer ${fleet.name})`,
        { cert: '--grpc-server-tls-cert', key: '--grpc-server-tls-key', ca: '--grpc-server-tls-client-ca' },
        out,
      );
      const certificate = certificateOfSecret(leaf.index, secretOfFile(workload, container, files.cert));
      const exposure = exposureOf(leaf, 'thanos-query');
      if (exposure)
        leafServers.set(exposure.address, {
          member: leaf,
          dnsNames: certificate?.dnsNames,
          certificate: certificate?.input.object.metadata.name,
        });
    }
  }
  if (observer) {
    for (const r of remoteEndpointsOf(observer.index)) {
      tlsFiles(
        observer,
        r.workload,
        r.container,
        r.tls ?? {},
        `observer ${observer.set}'s Query endpoint ${r.address} (client_config.tls_config)`,
        CLIENT,
        out,
      );
      const server = leafServers.get(r.address);
      if (server?.dnsNames && !server.dnsNames.includes(r.serverName)) {
        out.push(
          say(
            observer,
            r.workload.input,
            `observer ${observer.set} verifies server name ${r.serverName} for leaf ${server.member.set} (${r.address}), which is not in leaf ${server.member.set}'s certificate ${server.certificate} (dnsNames: ${server.dnsNames.join(', ') || 'none'}): every query to it fails the TLS handshake`,
          ),
        );
      }
    }
  }
  if (fleet.agents.length === 0) return;
  let receiveNames: { dnsNames: readonly string[]; certificate: string } | undefined;
  if (observer) {
    // The Receive pods agents reach (the routers of a split Receive), through the exposure; all of them without one.
    const exposure = exposureOf(observer, 'thanos-receive');
    const reached = exposure ? new Set(exposedWorkloads(observer.index, exposure)) : undefined;
    for (const { workload, container } of observer.index.thanos('receive')) {
      if (reached && !reached.has(workload)) continue;
      const files = serverTls(container, '--remote-write.server-tls');
      tlsFiles(
        observer,
        workload,
        container,
        files,
        `observer ${observer.set}'s Receive (remote write from agents)`,
        { cert: '--remote-write.server-tls-cert', key: '--remote-write.server-tls-key', ca: '--remote-write.server-tls-client-ca' },
        out,
      );
      const certificate = certificateOfSecret(observer.index, secretOfFile(workload, container, files.cert));
      if (certificate) receiveNames = { dnsNames: certificate.dnsNames, certificate: certificate.input.object.metadata.name };
    }
  }
  for (const agent of fleet.agents) {
    for (const w of remoteWritesOf(agent.index)) {
      tlsFiles(agent, w.workload, w.container, w.tls, `agent ${agent.set}'s remote_write to ${w.url} (tls_config)`, CLIENT, out);
      if (observer && receiveNames && !receiveNames.dnsNames.includes(w.serverName)) {
        out.push(
          say(
            agent,
            w.workload.input,
            `agent ${agent.set} verifies server name ${w.serverName} for observer ${observer.set}'s Receive, which is not in its certificate ${receiveNames.certificate} (dnsNames: ${receiveNames.dnsNames.join(', ') || 'none'})`,
          ),
        );
      }
    }
  }
}

/**
 * Labels across the fleet: each member's data carries a `cluster` of its own; the observer's
 * Receive and Ruler set no label a member also sets; its Query drops every replica label.
 */
function labels(fleet: Fleet, out: Out): void {
  const members = [...(fleet.observer ? [fleet.observer] : []), ...fleet.leaves, ...fleet.agents];
  const byCluster = new Map<string, FleetMember>();
  for (const member of members) {
    const sources = labelSourcesOf(member).filter((s) => s.labels.cluster !== undefined);
    if (member.role !== 'observer' && labelSourcesOf(member).length > 0 && sources.length === 0) {
      out.push(
        say(
          member,
          member.namespace,
          `${who(member)} sends data to observer ${fleet.name} without a cluster label: the global view cannot tell its series from other clusters'`,
        ),
      );
    }
    for (const value of new Set(sources.map((s) => s.labels.cluster))) {
      const first = byCluster.get(value);
      if (first && first !== member) {
        const source = sources.find((s) => s.labels.cluster === value)!;
        out.push(
          say(
            member,
            source.workload.input,
            `${who(member)} and ${who(first)} of fleet ${fleet.name} both label their data cluster="${value}": their series and blocks on the shared bucket cannot be told apart (the compactor halts on overlapping blocks)`,
          ),
        );
      } else byCluster.set(value, member);
    }
  }
  const observer = fleet.observer;
  if (!observer) return;
  const others = [...fleet.leaves, ...fleet.agents];
  // Every other producer of the fleet, the observer's own Prometheus included.
  const everyMember: FleetMember[] = [observer, ...others];
  for (const p of producersOf(observer.index)) {
    if (p.what === 'Prometheus' || !p.labels) continue;
    for (const member of everyMember) {
      for (const s of labelSourcesOf(member)) {
        if (member.role === 'observer' && s.what !== 'Prometheus') continue;
        const clash = Object.keys(p.labels).filter((name) => name in s.labels);
        if (clash.length === 0) continue;
        out.push(
          say(
            observer,
            p.workload.input,
            `observer ${observer.set}'s ${p.what} sets label ${clash.join(', ')}, which ${who(member)}'s ${s.what} sets too: external labels overwrite series labels of the same name, so ${member.set}'s data would carry ${observer.set}'s value`,
          ),
        );
        break;
      }
    }
  }
  for (const { workload, container } of observer.index.thanos('query')) {
    // Thanos splits each value on "," and trims nothing (v0.42.4 pkg/strutil/labels.go:21): in
    // "prometheus_replica, receive_replica" the second name starts with a space and matches no label.
    const dropped = new Set(container.flags.values('--query.replica-label').flatMap((v) => v.split(',')));
    const needed = new Map<string, string>();
    for (const member of members) {
      for (const s of labelSourcesOf(member))
        for (const name of s.perPod) if (!needed.has(name)) needed.set(name, `${who(member)}'s ${s.what}`);
    }
    for (const [name, by] of needed) {
      if (dropped.has(name)) continue;
      out.push(
        say(
          observer,
          workload.input,
          `observer ${observer.set}'s Query does not drop replica label ${name}, which ${by} sets: its replicas' series are not deduplicated (add --query.replica-label=${name})`,
        ),
      );
    }
  }
}

/** What leaves upload lands where the observer's compactor compacts it. */
function buckets(fleet: Fleet, out: Out): void {
  const observer = fleet.observer;
  if (!observer) return;
  const compacted = new Set(
    observer.index
      .thanos('compact')
      .map(({ workload, container }) => bucketIdentity(observer.index, objstoreOf(observer.index, workload, container), workload.namespace))
      .filter((b): b is string => !!b),
  );
  const uploading = fleet.leaves.filter((leaf) => producersOf(leaf.index).some((p) => p.bucket));
  if (compacted.size === 0) {
    if (uploading.length > 0)
      out.push(
        say(
          observer,
          observer.namespace,
          `observer ${observer.set} runs no compactor, but leaf ${uploading.map((l) => l.set).join(', ')} uploads blocks to the fleet's bucket: nobody compacts or downsamples them`,
        ),
      );
    return;
  }
  for (const leaf of uploading) {
    for (const p of producersOf(leaf.index)) {
      if (!p.bucket || compacted.has(p.bucket)) continue;
      out.push(
        say(
          leaf,
          p.workload.input,
          `leaf ${leaf.set}'s ${p.what} uploads to ${p.bucket}, which observer ${observer.set}'s compactor does not compact (it compacts ${[...compacted].join(', ')}); neither its Store serves it`,
        ),
      );
    }
  }
}

/**
 * A fleet is the overlays whose Namespaces carry the same `thanos-ha.dev/fleet` label (role in
 * `thanos-ha.dev/fleet-role`). The observer's Query endpoints are exactly its leaves' exposed addresses;
 * each agent remote-writes to the observer's exposed Receive, which runs when an agent names it; every
 * cross-cluster client and server has a CA, certificate and key from Secrets a cert-manager Certificate (or
 * the secret mode) produces, and the server name a client verifies is among the server certificate's
 * dnsNames; every leaf and agent labels its data with a cluster of its own; the observer's Receive and Ruler
 * set no label a member sets; its Query drops every replica label of the fleet; leaves upload where the
 * observer compacts. An endpoint that matches no leaf is reported only when the run checks a leaf or agent
 * of the fleet beside the observer (the whole fleet, as `check` and `check --changed-since` do).
 */
export const fleetWiring: Policy = {
  id: 'fleet-wiring',
  severity: 'error',
  description:
    "The overlays of one fleet agree with each other: the observer's Query endpoints, agents' remote writes, cross-cluster TLS, cluster labels and buckets.",
  remediation:
    "Keep the fleet's wiring derived: set `role`, `observer` and `expose` in settings/overlays.ts and run npm run generate rather than editing endpoints, URLs, labels or certificates by hand (docs/fleet.md); a user/ patch that changes one side must change the other.",
  kinds: ['Namespace'],
  // The wiring is between overlays; within one rendered set the other rules apply.
  check: () => [],
  checkAcrossSets(sets) {
    const out: Out = [];
    for (const fleet of fleetsOf(sets)) {
      queryEndpoints(fleet, out);
      agentWrites(fleet, out);
      tls(fleet, out);
      labels(fleet, out);
      buckets(fleet, out);
    }
    return out;
  },
};
