import { describe } from 'vitest';
import { discoveryHeadless } from './discovery-headless.js';
import { policyTable } from '../testing/rule-cases.js';

/** Upstream kube-thanos style: hand-written, namespace "thanos", --store as two args, command: [thanos, ...]. */
const services = `
apiVersion: v1
kind: Service
metadata: {name: thanos-store, namespace: thanos}
spec:
  clusterIP: None
  selector: {app.kubernetes.io/name: thanos-store}
  ports: [{name: grpc, port: 10901}]
---
apiVersion: v1
kind: Service
metadata: {name: thanos-query, namespace: thanos}
spec:
  selector: {app.kubernetes.io/name: thanos-query}
  ports: [{name: http, port: 9090}, {name: grpc, port: 10901}]
`;

const query = (name: string, args: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: thanos}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: ${name}}}
  template:
    metadata: {labels: {app.kubernetes.io/name: ${name}}}
    spec:
      containers:
      - name: thanos-query
        image: quay.io/thanos/thanos:v0.42.4
        command: [thanos, query]
        env:
        - {name: NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
        args:
${args}
`;

policyTable(discoveryHeadless, [
  {
    name: 'passes: headless store via --endpoint value, $(NS) substitution, ruler query on a ClusterIP Service, short name',
    yaml: `${services}---${query(
      'thanos-query',
      `        - --endpoint
        - dnssrv+_grpc._tcp.thanos-store.$(NS).svc.cluster.local
        - --endpoint.sd-config=endpoints: [{address: "dnssrv+_grpc._tcp.thanos-store"}]`,
    )}---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: thanos-rule, namespace: thanos}
spec:
  serviceName: thanos-rule
  selector: {matchLabels: {app: rule}}
  template:
    metadata: {labels: {app: rule}}
    spec:
      containers:
      - name: rule
        image: thanosio/thanos:v0.42.4
        args: [rule, --query=dnssrv+_http._tcp.thanos-query.thanos.svc.cluster.local, --query, dnssrv+_grpc._tcp.thanos-query]
`,
    expect: {},
  },
  {
    name: 'fails: ClusterIP where Query fans out, missing Service, wrong port name, wrong namespace, no SRV prefix',
    yaml: `${services}---${query(
      'q',
      `        - --endpoint=dnssrv+_grpc._tcp.thanos-query.thanos.svc.cluster.local
        - --endpoint=dnssrv+_grpc._tcp.thanos-receive.thanos.svc.cluster.local
        - --endpoint=dnssrvnoa+_web._tcp.thanos-store.thanos.svc
        - --endpoint=dnssrv+_grpc._tcp.thanos-store.monitoring.svc
        - --endpoint=dnssrv+thanos-store.thanos.svc:10901
        - |
          --endpoint.sd-config=endpoints:
            - address: dnssrv+_grpc._tcp.prometheus-operated.thanos.svc.cluster.local`,
    )}`,
    expect: {
      'Deployment/q': [
        /thanos-query.thanos.svc.cluster.local: Service thanos-query is not headless/,
        /thanos-receive.* names Service thanos-receive in namespace thanos, which is not in the input/,
        /Service thanos-store has no port named web/,
        /names Service thanos-store in namespace monitoring, which is not in the input/,
        /dnssrv\+thanos-store.thanos.svc:10901: has no _<port>._<proto> prefix/,
        /--endpoint.sd-config dnssrv\+_grpc._tcp.prometheus-operated.* not in the input/,
      ],
    },
  },
  {
    // prometheus-operator example/thanos (v0.89.0): Query reaches one ThanosRuler (replicas unset: 1) through a ClusterIP Service.
    name: 'warns only (a practice): a ClusterIP Service in front of a single ThanosRuler replica reaches every pod there is',
    yaml: `
apiVersion: monitoring.coreos.com/v1
kind: ThanosRuler
metadata: {name: thanos-ruler, namespace: thanos, labels: {app.kubernetes.io/name: thanos-ruler}}
spec:
  image: quay.io/thanos/thanos:v0.42.4
  queryEndpoints: [dnssrv+_http._tcp.thanos-query.thanos.svc.cluster.local]
  ruleSelector: {matchLabels: {role: thanos-example}}
---
apiVersion: v1
kind: Service
metadata: {name: thanos-ruler, namespace: thanos}
spec:
  selector: {app.kubernetes.io/name: thanos-ruler}
  ports: [{name: grpc, port: 10901, targetPort: grpc}]
---${query('thanos-query', '        - --endpoint=dnssrv+_grpc._tcp.thanos-ruler.thanos.svc.cluster.local')}---${services}`,
    expect: {
      'Deployment/thanos-query': [
        /^warning: .*Service thanos-ruler is not headless .* connects to one pod only; it selects one pod today, so nothing is missed until a second replica$/,
      ],
    },
  },
  {
    name: 'fails with a profile: our renders keep fan-out Services headless for the day they scale',
    settings: { profile: 'dev' },
    yaml: `
apiVersion: monitoring.coreos.com/v1
kind: ThanosRuler
metadata: {name: thanos-ruler, namespace: thanos, labels: {app.kubernetes.io/name: thanos-ruler}}
spec:
  image: quay.io/thanos/thanos:v0.42.4
  queryEndpoints: [dnssrv+_http._tcp.thanos-query.thanos.svc.cluster.local]
  ruleSelector: {matchLabels: {role: thanos-example}}
---
apiVersion: v1
kind: Service
metadata: {name: thanos-ruler, namespace: thanos}
spec:
  selector: {app.kubernetes.io/name: thanos-ruler}
  ports: [{name: grpc, port: 10901, targetPort: grpc}]
---${query('thanos-query', '        - --endpoint=dnssrv+_grpc._tcp.thanos-ruler.thanos.svc.cluster.local')}---${services}`,
    expect: {
      'Deployment/thanos-query': [
        /^error: .*Service thanos-ruler is not headless .* connects to one pod only; it selects one pod today, so nothing is missed until a second replica$/,
      ],
    },
  },
  {
    // T@v0.42.4:pkg/discovery/dns/resolver.go:79-82: an A lookup needs a port; --alertmanagers.url gets :9093 (pkg/alert/config.go:110-118)
    name: 'fails: dns+ endpoint without a port, dns+ to a ClusterIP Service fanned out; passes: dns+ to the headless store with a port',
    yaml: `${services}---${query(
      'thanos-query',
      `        - --endpoint=dns+thanos-store.thanos.svc.cluster.local
        - --endpoint=dns+thanos-store.$(NS).svc:10901
        - --endpoint=dns+thanos-query.thanos.svc.cluster.local:10901`,
    )}`,
    expect: {
      'Deployment/thanos-query': [
        /--endpoint dns\+thanos-store\.thanos\.svc\.cluster\.local: is an A-record lookup without a port, so every lookup fails/,
        /--endpoint dns\+thanos-query\.thanos\.svc\.cluster\.local:10901: Service thanos-query is not headless .*one virtual IP/,
      ],
    },
  },
  {
    name: 'passes: a ruler --query dns+ on a ClusterIP Service (any pod will do) and --alertmanagers.url dns+ without a port; fails: an alertmanagers config dns+ without a port',
    yaml: `${services}---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: thanos-rule, namespace: thanos}
spec:
  serviceName: thanos-rule
  selector: {matchLabels: {app: rule}}
  template:
    metadata: {labels: {app: rule}}
    spec:
      containers:
      - name: rule
        image: quay.io/thanos/thanos:v0.42.4
        args: [rule, '--query=dns+thanos-query.thanos.svc:9090', '--alertmanagers.url=dns+http://alertmanager.thanos.svc']
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: rule-b, namespace: thanos}
spec:
  serviceName: rule-b
  selector: {matchLabels: {app: rule-b}}
  template:
    metadata: {labels: {app: rule-b}}
    spec:
      containers:
      - name: rule
        image: quay.io/thanos/thanos:v0.42.4
        args: [rule, '--query=dns+thanos-query.thanos.svc:9090', '--alertmanagers.config={alertmanagers: [{static_configs: ["dns+alertmanager.thanos.svc"]}]}']
`,
    expect: {
      'StatefulSet/rule-b': [/--alertmanagers\.config dns\+alertmanager\.thanos\.svc: is an A-record lookup without a port/],
    },
  },
]);

describe('discovery-headless (mutation)', () => {
  const store = (name: string, replicas: number, namespace = 'thanos') => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  replicas: ${replicas}
  serviceName: ${name}
  selector: {matchLabels: {app.kubernetes.io/name: thanos-store, shard: ${name}}}
  template:
    metadata: {labels: {app.kubernetes.io/name: thanos-store, app.kubernetes.io/component: store, shard: ${name}}}
    spec:
      containers: [{name: thanos-store, image: quay.io/thanos/thanos:v0.42.4, args: [store]}]
`;
  const clusterIp = (name: string, selector: string | undefined, namespace = 'thanos') => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${selector ? `  selector: {${selector}}\n` : ''}  ports: [{name: grpc, port: 10901}]
`;
  policyTable(discoveryHeadless, [
    {
      name: 'fails: a ClusterIP Service over two store shards of one replica each (replicas summed), and one without a selector',
      yaml: `${store('thanos-store-0', 1)}---${store('thanos-store-1', 1)}---${store('thanos-store-2', 1, 'other')}---${clusterIp(
        'thanos-stores',
        'app.kubernetes.io/component: store',
      )}---${clusterIp('external-store', undefined)}---${query(
        'thanos-query',
        `        - --endpoint=dnssrv+_grpc._tcp.thanos-stores.thanos.svc
        - --endpoint=dnssrv+_grpc._tcp.external-store.thanos.svc
        - --endpoint=dns+thanos-stores.thanos.svc:10901`,
      )}`,
      expect: {
        'Deployment/thanos-query': [
          /^error: container thanos-query --endpoint dnssrv\+_grpc._tcp.thanos-stores.thanos.svc: Service thanos-stores is not headless \(clusterIP: None\), so the SRV record names its one cluster IP and Thanos connects to one pod only$/,
          /^error: container thanos-query --endpoint dnssrv\+_grpc._tcp.external-store.thanos.svc: Service external-store is not headless \(clusterIP: None\), so the SRV record names its one cluster IP and Thanos connects to one pod only$/,
          /^error: container thanos-query --endpoint dns\+thanos-stores.thanos.svc:10901: Service thanos-stores is not headless \(clusterIP: None\), so its A record is one virtual IP: Thanos holds one connection and reaches one pod behind it, not each pod; make the Service headless or use a headless Service's name$/,
        ],
      },
    },
    {
      name: 'warns only (a practice): dns+ to a ClusterIP Service in front of one store pod',
      yaml: `${store('thanos-store-0', 1)}---${store('thanos-store-1', 3)}---${clusterIp('thanos-store-0', 'shard: thanos-store-0')}---${query(
        'thanos-query',
        '        - --endpoint=dns+thanos-store-0.thanos.svc:10901',
      )}`,
      expect: {
        'Deployment/thanos-query': [
          /^warning: .*dns\+thanos-store-0.thanos.svc:10901: Service thanos-store-0 is not headless .* one virtual IP.*; it selects one pod today, so nothing is missed until a second replica$/,
        ],
      },
    },
    {
      name: 'passes: dns+ to an ExternalName alias (a store in another namespace) is not judged headless or not',
      yaml: `
apiVersion: v1
kind: Service
metadata: {name: shared-store, namespace: thanos}
spec: {type: ExternalName, externalName: thanos-store.shared.svc.cluster.local}
---${query('thanos-query', '        - --endpoint=dns+shared-store.thanos.svc:10901')}`,
      expect: {},
    },
    {
      name: 'fails: a UDP SRV name for a TCP port, and a TCP name for a UDP port',
      yaml: `${services}---
apiVersion: v1
kind: Service
metadata: {name: odd, namespace: thanos}
spec:
  clusterIP: None
  ports: [{name: grpc, port: 10901, protocol: UDP}]
---${query(
        'thanos-query',
        `        - --endpoint=dnssrv+_grpc._udp.thanos-store.thanos.svc
        - --endpoint=dnssrv+_grpc._TCP.thanos-store.thanos.svc
        - --endpoint=dnssrv+_grpc._tcp.odd.thanos.svc`,
      )}`,
      expect: {
        'Deployment/thanos-query': [
          /^error: container thanos-query --endpoint dnssrv\+_grpc._udp.thanos-store.thanos.svc: Service thanos-store port grpc is TCP, not udp$/,
          /^error: container thanos-query --endpoint dnssrv\+_grpc._tcp.odd.thanos.svc: Service odd port grpc is UDP, not tcp$/,
        ],
      },
    },
    {
      name: 'fails: a namespace from a variable the pod does not set names the Service with no namespace',
      yaml: `${services}---${query('thanos-query', '        - --endpoint=dnssrv+_grpc._tcp.thanos-stor.$(POD_NAMESPACE).svc')}`,
      expect: {
        'Deployment/thanos-query': [
          /^error: container thanos-query --endpoint dnssrv\+_grpc._tcp.thanos-stor.\$\(POD_NAMESPACE\).svc: names Service thanos-stor, which is not in the input$/,
        ],
      },
    },
    {
      name: 'notes: an endpoint SD file from a ConfigMap not in the input is not checked',
      yaml: `${services}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: thanos-query, namespace: thanos}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: thanos-query}}
  template:
    metadata: {labels: {app.kubernetes.io/name: thanos-query}}
    spec:
      volumes: [{name: sd, configMap: {name: thanos-query-sd}}]
      containers:
      - name: thanos-query
        image: quay.io/thanos/thanos:v0.42.4
        args: [query, --endpoint.sd-config-file=/etc/thanos/sd/endpoints.yaml]
        volumeMounts: [{name: sd, mountPath: /etc/thanos/sd}]
`,
      expect: {
        'Deployment/thanos-query': [
          /^warning: container thanos-query: --endpoint.sd-config-file=\/etc\/thanos\/sd\/endpoints.yaml: ConfigMap thanos-query-sd \(mounted for \/etc\/thanos\/sd\/endpoints.yaml\) is not in the input; its addresses were not checked$/,
        ],
      },
    },
  ]);
});
