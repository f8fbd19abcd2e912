import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { discoveryAddresses, parseSrv } from '../lib/discovery.js';
import { asArray, asRecord, mapSelects, sameNamespace } from '../lib/model.js';
import type { Diagnostic, Policy } from '../lib/types.js';

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
    'Every `dnssrv+`/`dnssrvnoa+` discovery address of Query and the ruler names a Service in the input with the SRV port name, headless where Thanos must reach every pod.',
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
          // With one pod behind it (the prometheus-operator example's single ThanosRuler) that one pod is all
          // there is: headless is then this project's practice (the day it scales), not a fault today.
          const selector = asRecord(spec.selector);
          const pods = selector
            ? index.workloads
                .filter((w) => sameNamespace(w.namespace, service.object.metadata.namespace) && mapSelects(selector, w.podLabels))
                .reduce((sum, w) => sum + w.replicas, 0)
            : 2;
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
