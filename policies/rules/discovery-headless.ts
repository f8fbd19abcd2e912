import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { type ARecordName, discoveryAddresses, parseA, parseSrv } from '../lib/discovery.js';
import { asArray, asRecord, type Index, type InputObject, mapSelects, sameNamespace } from '../lib/model.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/** How many pods a Service selects in the input (2, "several", when it has no selector). */
function podsBehind(index: Index, service: InputObject): number {
  const selector = asRecord(asRecord(service.object.spec)?.selector);
  return selector
    ? index.workloads
        .filter((w) => sameNamespace(w.namespace, service.object.metadata.namespace) && mapSelects(selector, w.podLabels))
        .reduce((sum, w) => sum + w.replicas, 0)
    : 2;
}

/**
 * A `dns+` address: Thanos looks up A records, so it needs a port in the address (pkg/discovery/dns/resolver.go:79-82@v0.42.4;
 * `--alertmanagers.url` alone adds :9093, pkg/alert/config.go:110-118), and where it must reach every pod the
 * name must be a headless Service: a ClusterIP Service's A record is its one virtual IP, so Thanos holds one
 * connection that kube-proxy sends to one pod.
 */
function aRecordProblems(index: Index, name: ARecordName, where: string, fanOut: boolean, at: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!name.port && where !== '--alertmanagers.url')
    out.push({
      message: `${at}: is an A-record lookup without a port, so every lookup fails ("missing port in address given for dns lookup") and Thanos never connects to it; add the port (e.g. :10901 for gRPC), or use dnssrv+_<port-name>._tcp.<service>.<namespace>.svc`,
    });
  if (!fanOut) return out;
  const service = index.find('Service', name.namespace, name.service);
  const spec = asRecord(service?.object.spec);
  if (service && spec && spec.clusterIP !== 'None' && spec.type !== 'ExternalName') {
    const pods = podsBehind(index, service);
    out.push({
      message: `${at}: Service ${name.service} is not headless (clusterIP: None), so its A record is one virtual IP: Thanos holds one connection and reaches one pod behind it, not each pod; make the Service headless or use a headless Service's name${pods === 1 ? '; it selects one pod today, so nothing is missed until a second replica' : ''}`,
      ...(pods === 1 ? { practice: true as const } : {}),
    });
  }
  return out;
}

/**
 * Addresses: Query endpoints and endpoint SD config, the ruler's query and Alertmanager addresses. The
 * Service is looked up in the namespace the address names, its port named as the SRV record (`_grpc` ->
 * `grpc`). Where Thanos connects to every pod behind the name (Query store/endpoint discovery,
 * alertmanagers) the Service must be headless (`clusterIP: None`), or only one pod is found; a ClusterIP
 * Service is right where any one pod will do (a ruler's query address).
 */
export const discoveryHeadless: Policy = {
  id: 'discovery-headless',
  severity: 'error',
  description:
    'Every `dnssrv+` discovery address of Query and the ruler names a Service in the input with the SRV port name, headless where Thanos must reach every pod; `dns+` addresses have a port and, fanned out, a headless Service.',
  remediation:
    'Point the address at `dnssrv+_<port-name>._tcp.<service>.<namespace>.svc.cluster.local` of a Service that exists, names that port, and is headless (clusterIP: None) when every pod must be reached.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { workload, container: c } of index.thanosContainersOf(input, 'query', 'rule')) {
      const { addresses, notes } = discoveryAddresses(index, workload, c);
      for (const note of notes) out.push({ message: `container ${c.name}: ${note}`, severity: 'warning' });
      for (const a of addresses) {
        const at = `container ${c.name} ${a.where} ${a.address}`;
        const aRecord = parseA(a.address, workload.namespace);
        if (aRecord) {
          out.push(...aRecordProblems(index, aRecord, a.where, a.fanOut, at));
          continue;
        }
        const srv = parseSrv(a.address, workload.namespace);
        if (!srv) continue;
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
          // An unset protocol is TCP: say so, not "undefined".
          out.push({ message: `${at}: Service ${srv.service} port ${srv.port} is ${String(port.protocol ?? 'TCP')}, not ${srv.proto}` });
        }
        if (a.fanOut && spec.clusterIP !== 'None') {
          // With one pod behind it (the prometheus-operator example's single ThanosRuler) that one pod is all
          // there is: headless is then this project's practice (the day it scales), not a fault today.
          const pods = podsBehind(index, service);
          out.push({
            message: `${at}: Service ${srv.service} is not headless (clusterIP: None), so the SRV record names its one cluster IP and Thanos connects to one pod only${pods === 1 ? '; it selects one pod today, so nothing is missed until a second replica' : ''}`,
            ...(pods === 1 ? { practice: true as const } : {}),
          });
        }
      }
    }
    return out;
  },
};
