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
