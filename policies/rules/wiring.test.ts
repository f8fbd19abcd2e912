import { describe } from 'vitest';
import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { wiring } from './wiring.js';

const service = (name: string, ports: { name: string; port: number; targetPort?: string | number }[], ns = 'monitoring') => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector: { app: name }, ports },
});
const query = (args: string[]) => workload({ name: 'query', containers: [goodContainer({ args: ['query', ...args] })] });
const frontend = (url: string) =>
  workload({
    name: 'frontend',
    containers: [
      goodContainer({
        args: ['query-frontend', `--query-frontend.downstream-url=${url}`],
        ports: [{ name: 'http', containerPort: 10902 }],
      }),
    ],
  });

/** A Prometheus StatefulSet listening on each of `listen` (--web.listen-address), declaring web as `declared`. */
const prometheusOn = (name: string, listen: string[], declared: number, probes: Record<string, unknown>) =>
  workload({
    kind: 'StatefulSet',
    name,
    containers: [
      goodContainer({
        name: 'prometheus',
        image: 'quay.io/prometheus/prometheus:v3.13.2',
        args: listen.map((address) => `--web.listen-address=${address}`),
        ports: [{ name: 'web', containerPort: declared }],
        livenessProbe: undefined,
        readinessProbe: undefined,
        ...probes,
      }),
    ],
  });

policyTable(wiring, [
  {
    name: 'passes: frontend -> query HTTP, query -> store gRPC by dns+ and static forms, sidecar -> localhost Prometheus',
    yaml: yamlOf(
      query(['--endpoint=dns+store.monitoring.svc.cluster.local:10901', '--endpoint=store:10901', '--endpoint=store.$(NAMESPACE):10901']),
      service('query', [
        { name: 'http', port: 9090, targetPort: 'http' },
        { name: 'grpc', port: 10901, targetPort: 'grpc' },
      ]),
      workload({ kind: 'StatefulSet', name: 'store', containers: [goodContainer({ args: ['store'] })] }),
      service('store', [{ name: 'grpc', port: 10901, targetPort: 'grpc' }]),
      frontend('http://query.monitoring.svc:9090'),
      workload({
        kind: 'StatefulSet',
        name: 'prometheus',
        containers: [
          goodContainer({
            name: 'prometheus',
            image: 'quay.io/prometheus/prometheus:v3.13.2',
            args: ['--web.listen-address=0.0.0.0:9090'],
            ports: [{ name: 'web', containerPort: 9090 }],
            livenessProbe: { httpGet: { path: '/-/healthy', port: 'web' } },
            readinessProbe: { httpGet: { path: '/-/ready', port: 'web' } },
          }),
          goodContainer({ name: 'sidecar', args: ['sidecar', '--prometheus.url=http://localhost:9090'] }),
        ],
      }),
    ),
    expect: {},
  },
  {
    name: 'notes a host outside the cluster once, as not checked',
    yaml: yamlOf(
      query(['--endpoint=thanos.other-cluster.example.com:10901', '--endpoint-strict=thanos.other-cluster.example.com:10901']),
      workload({ name: 'query2', containers: [goodContainer({ args: ['query', '--endpoint=thanos.other-cluster.example.com:10901'] })] }),
    ),
    expect: { 'Deployment/query': [/warning: .*thanos.other-cluster.example.com is outside the cluster .* not checked/] },
  },
  {
    name: 'fails: unknown Service, missing port, gRPC where HTTP is spoken, nothing on localhost, ports and probes off the listen flags',
    yaml: yamlOf(
      workload({
        name: 'query',
        containers: [
          goodContainer({
            env: [{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
            args: [
              'query',
              '--endpoint=dns+stor.monitoring.svc.cluster.local:10901',
              '--endpoint=store:19999',
              '--endpoint=dnssrv+_grpc._tcp.store.$(NAMESPACE).svc',
              '--endpoint=stores.$(NAMESPACE).svc.cluster.local:10901',
              '--http-address=0.0.0.0:9090',
            ],
          }),
        ],
      }),
      service('query', [{ name: 'grpc', port: 10901, targetPort: 'grpc' }]),
      workload({ kind: 'StatefulSet', name: 'store', containers: [goodContainer({ args: ['store'] })] }),
      service('store', [{ name: 'grpc', port: 10901 }]),
      frontend('http://query.monitoring.svc:10901'),
      workload({
        kind: 'StatefulSet',
        name: 'prometheus',
        containers: [goodContainer({ name: 'sidecar', args: ['sidecar', '--prometheus.url=http://localhost:9090'] })],
      }),
    ),
    expect: {
      'Deployment/query': [
        /dns\+stor.monitoring.svc.cluster.local:10901: names Service stor in namespace monitoring, which is not in the input/,
        /store:19999: Service store has no port 19999/,
        /stores.monitoring.svc.cluster.local:10901: names Service stores in namespace monitoring, which is not in the input/,
        /port http is declared as 10902, but --http-address listens on 9090/,
        /livenessProbe hits port 10902 \(http\), which none of its listen flags opens/,
        /readinessProbe hits port 10902 \(http\)/,
      ],
      'Deployment/frontend': [/Service query port 10901 leads to gRPC, but --query-frontend.downstream-url speaks HTTP/],
      'StatefulSet/prometheus': [/--prometheus.url=http:\/\/localhost:9090: no other container of this pod listens on port 9090$/],
    },
  },
  {
    name: "Alertmanager: one deployed elsewhere is noted, an ExternalName alias is not port-checked, a wrong name next to the input's own Alertmanager fails",
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'ruler',
        containers: [
          goodContainer({ args: ['rule', '--alertmanagers.url=http://alertmanager:9093', '--alertmanagers.url=http://shared-am:9093'] }),
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'shared-am', namespace: 'monitoring' },
        spec: { type: 'ExternalName', externalName: 'alertmanager.shared.svc.cluster.local' },
      },
      workload({
        kind: 'StatefulSet',
        name: 'ruler',
        namespace: 'team',
        containers: [goodContainer({ args: ['rule', '--alertmanagers.url=http://alertmanagr:9093'] })],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'alertmanager',
        namespace: 'team',
        containers: [
          goodContainer({
            name: 'alertmanager',
            image: 'quay.io/prometheus/alertmanager:v0.28.1',
            args: [],
            livenessProbe: undefined,
            readinessProbe: undefined,
          }),
        ],
      }),
    ),
    expect: {
      'StatefulSet/ruler': [
        /warning: .*Alertmanager Service alertmanager is not in the input; make sure it exists/,
        /alertmanagr:9093: names Service alertmanagr in namespace team, which is not in the input/,
      ],
    },
  },
  {
    name: 'dnssrv+ names: the named port must speak what the client speaks (Query gRPC, ruler HTTP)',
    yaml: yamlOf(
      query([
        '--endpoint=dnssrv+_grpc._tcp.store.monitoring.svc.cluster.local',
        '--endpoint=dnssrv+_http._tcp.store.monitoring.svc.cluster.local',
      ]),
      workload({ kind: 'StatefulSet', name: 'store', containers: [goodContainer({ args: ['store'] })] }),
      service('store', [
        { name: 'grpc', port: 10901, targetPort: 'grpc' },
        { name: 'http', port: 10902, targetPort: 'http' },
      ]),
      workload({
        kind: 'StatefulSet',
        name: 'ruler',
        containers: [
          goodContainer({
            args: [
              'rule',
              '--query=dnssrv+_http._tcp.store.monitoring.svc.cluster.local',
              '--query=dnssrv+_grpc._tcp.store.monitoring.svc.cluster.local',
            ],
          }),
        ],
      }),
    ),
    expect: {
      'Deployment/query': [
        /dnssrv\+_http._tcp.store.monitoring.svc.cluster.local: Service store port http leads to HTTP, but --endpoint speaks gRPC/,
      ],
      'StatefulSet/ruler': [
        /dnssrv\+_grpc._tcp.store.monitoring.svc.cluster.local: Service store port grpc leads to gRPC, but --query speaks HTTP/,
      ],
    },
  },
  {
    name: 'Receive: the remote-write port is checked against --remote-write.address, http against --http-address',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'recv-ok',
        containers: [
          goodContainer({
            args: ['receive', '--remote-write.address=0.0.0.0:19291'],
            ports: [
              { name: 'http', containerPort: 10902 },
              { name: 'grpc', containerPort: 10901 },
              { name: 'remote-write', containerPort: 19291 },
            ],
          }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'recv-bad',
        containers: [
          goodContainer({
            args: ['receive', '--remote-write.address=0.0.0.0:19292'],
            ports: [
              { name: 'http', containerPort: 10902 },
              { name: 'grpc', containerPort: 10901 },
              { name: 'remote-write', containerPort: 19291 },
            ],
          }),
        ],
      }),
    ),
    expect: { 'StatefulSet/recv-bad': [/port remote-write is declared as 19291, but --remote-write.address listens on 19292/] },
  },
]);

describe('wiring (mutation)', () => {
  /**
   * kube-thanos examples/all/manifests@55d4a7c (thanos-query-deployment.yaml, thanos-query-service.yaml,
   * thanos-query-frontend-deployment.yaml, thanos-rule-statefulSet.yaml, thanos-bucket-deployment.yaml,
   * thanos-store-service.yaml), trimmed to the wiring: Query serves HTTP on 9090, the frontend reaches it at
   * `thanos-query.thanos:9090`, the ruler at `dnssrv+_http._tcp.thanos-query.thanos`, `tools bucket web` opens
   * HTTP only, and targetPorts are numbers.
   */
  const kubeThanos = `
apiVersion: v1
kind: Service
metadata: {name: thanos-query, namespace: thanos}
spec:
  selector: {app.kubernetes.io/name: thanos-query}
  ports:
  - {name: grpc, port: 10901, targetPort: 10901}
  - {name: http, port: 9090, targetPort: 9090}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: thanos-query, namespace: thanos}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: thanos-query}}
  template:
    metadata: {labels: {app.kubernetes.io/name: thanos-query}}
    spec:
      containers:
      - name: thanos-query
        image: quay.io/thanos/thanos:v0.42.4
        args: [query, --grpc-address=0.0.0.0:10901, --http-address=0.0.0.0:9090, '--endpoint=dnssrv+_grpc._tcp.thanos-store.thanos']
        ports: [{containerPort: 10901, name: grpc}, {containerPort: 9090, name: http}]
        livenessProbe: {httpGet: {path: /-/healthy, port: 9090, scheme: HTTP}}
        readinessProbe: {httpGet: {path: /-/ready, port: 9090, scheme: HTTP}}
---
apiVersion: v1
kind: Service
metadata: {name: thanos-store, namespace: thanos}
spec:
  clusterIP: None
  selector: {app.kubernetes.io/name: thanos-store}
  ports:
  - {name: grpc, port: 10901, targetPort: 10901}
  - {name: http, port: 10902, targetPort: 10902}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: thanos-query-frontend, namespace: thanos}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: thanos-query-frontend}}
  template:
    metadata: {labels: {app.kubernetes.io/name: thanos-query-frontend}}
    spec:
      containers:
      - name: thanos-query-frontend
        image: quay.io/thanos/thanos:v0.42.4
        args: [query-frontend, --http-address=0.0.0.0:9090, '--query-frontend.downstream-url=http://thanos-query.thanos:9090']
        ports: [{containerPort: 9090, name: http}]
        livenessProbe: {httpGet: {path: /-/healthy, port: 9090, scheme: HTTP}}
        readinessProbe: {httpGet: {path: /-/ready, port: 9090, scheme: HTTP}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: thanos-rule, namespace: thanos}
spec:
  serviceName: thanos-rule
  selector: {matchLabels: {app.kubernetes.io/name: thanos-rule}}
  template:
    metadata: {labels: {app.kubernetes.io/name: thanos-rule}}
    spec:
      containers:
      - name: thanos-rule
        image: quay.io/thanos/thanos:v0.42.4
        args: [rule, --grpc-address=0.0.0.0:10901, --http-address=0.0.0.0:10902, '--query=dnssrv+_http._tcp.thanos-query.thanos', '--alertmanagers.url=alertmanager:9093']
        ports: [{containerPort: 10901, name: grpc}, {containerPort: 10902, name: http}, {containerPort: 9533, name: reloader}]
        livenessProbe: {httpGet: {path: /-/healthy, port: 10902, scheme: HTTP}}
        readinessProbe: {httpGet: {path: /-/ready, port: 10902, scheme: HTTP}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: thanos-bucket, namespace: thanos}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: thanos-bucket}}
  template:
    metadata: {labels: {app.kubernetes.io/name: thanos-bucket}}
    spec:
      containers:
      - name: thanos-bucket
        image: quay.io/thanos/thanos:v0.42.4
        args: [tools, bucket, web, --objstore.config=$(OBJSTORE_CONFIG)]
        ports: [{containerPort: 10902, name: http}]
        livenessProbe: {httpGet: {path: /-/healthy, port: 10902, scheme: HTTP}}
        readinessProbe: {httpGet: {path: /-/ready, port: 10902, scheme: HTTP}}
`;
  policyTable(wiring, [
    {
      name: 'kube-thanos examples/all (55d4a7c): only the Alertmanager it expects elsewhere is noted',
      yaml: kubeThanos,
      expect: {
        'StatefulSet/thanos-rule': [
          /^warning: container thanos-rule --alertmanagers.url=alertmanager:9093: Alertmanager Service alertmanager is not in the input; make sure it exists in namespace thanos$/,
        ],
      },
    },
    {
      name: 'fails: a Query Frontend copied from Query probes the gRPC port it does not open (query-frontend has no --grpc-address)',
      yaml: yamlOf(
        workload({
          name: 'frontend',
          containers: [
            goodContainer({
              args: ['query-frontend', '--http-address=0.0.0.0:9090'],
              ports: [
                { name: 'http', containerPort: 9090 },
                { name: 'grpc', containerPort: 10901 },
              ],
              livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' } },
              readinessProbe: { tcpSocket: { port: 'grpc' } },
            }),
          ],
        }),
      ),
      expect: {
        'Deployment/frontend': [
          /^error: container app: readinessProbe hits port 10901 \(grpc\), which none of its listen flags opens \(--http-address 9090\); the probe fails and the pod restarts$/,
        ],
      },
    },
    {
      name: 'fails: an HTTP probe on the gRPC port of Query and Store',
      yaml: yamlOf(
        workload({
          name: 'query',
          containers: [goodContainer({ args: ['query'], readinessProbe: { httpGet: { path: '/-/ready', port: 10901 } } })],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'store',
          containers: [goodContainer({ args: ['store'], startupProbe: { httpGet: { path: '/-/ready', port: 'grpc' } } })],
        }),
      ),
      expect: {
        'Deployment/query': [/^error: container app: readinessProbe sends HTTP to port 10901, which serves gRPC$/],
        'StatefulSet/store': [/^error: container app: startupProbe sends HTTP to port 10901, which serves gRPC$/],
      },
    },
    {
      name: 'fails: Prometheus moved to --web.listen-address=:9091 while its declared port and probes stay on 9090',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'prometheus',
          containers: [
            goodContainer({
              name: 'prometheus',
              image: 'quay.io/prometheus/prometheus:v3.13.2',
              args: ['--web.listen-address=:9091'],
              ports: [{ name: 'web', containerPort: 9090 }],
              livenessProbe: { httpGet: { path: '/-/healthy', port: 'web' } },
              readinessProbe: { httpGet: { path: '/-/ready', port: 9090 } },
            }),
            goodContainer({ name: 'thanos-sidecar', args: ['sidecar', '--prometheus.url=http://127.0.0.1:9091'] }),
          ],
        }),
      ),
      expect: {
        'StatefulSet/prometheus': [
          /^error: container prometheus: port web is declared as 9090, but --web.listen-address listens on 9091$/,
          /^error: container prometheus: livenessProbe hits port 9090 \(web\), which none of its listen flags opens \(--web.listen-address 9091\)/,
          /^error: container prometheus: readinessProbe hits port 9090, which none/,
        ],
      },
    },
    {
      // P@v3.13.2 cmd/prometheus/main.go:418-419: --web.listen-address is a StringsVar, "Can be repeated"; it listens on each.
      name: 'passes: Prometheus with two --web.listen-address values, its declared port and probes on one of them (P@v3.13.2 main.go:418-419)',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'prometheus',
          containers: [
            goodContainer({
              name: 'prometheus',
              image: 'quay.io/prometheus/prometheus:v3.13.2',
              args: ['--web.listen-address=:9090', '--web.listen-address=127.0.0.1:9091'],
              ports: [{ name: 'web', containerPort: 9090 }],
              livenessProbe: { httpGet: { path: '/-/healthy', port: 'web' } },
            }),
            goodContainer({ name: 'thanos-sidecar', args: ['sidecar', '--prometheus.url=http://127.0.0.1:9091'] }),
          ],
        }),
        prometheusOn('prometheus-b', ['127.0.0.1:9091', ':9090'], 9090, {
          livenessProbe: { httpGet: { path: '/-/healthy', port: 'web' } },
        }),
      ),
      expect: {},
    },
    {
      name: 'fails: Prometheus declaring its web port on neither of its two --web.listen-address values',
      yaml: yamlOf(
        prometheusOn('prometheus', [':9090', '127.0.0.1:9091'], 9092, {
          livenessProbe: { httpGet: { path: '/-/healthy', port: 9090 } },
          readinessProbe: { httpGet: { path: '/-/ready', port: 9090 } },
        }),
      ),
      expect: {
        'StatefulSet/prometheus': [
          /^error: container prometheus: port web is declared as 9092, but --web.listen-address listens on 9090 and 9091$/,
        ],
      },
    },
    {
      name: "fails: URLs without a port use the scheme's (https 443, http 80), which the Service does not have",
      yaml: yamlOf(
        frontend('https://query.monitoring.svc/'),
        workload({
          name: 'frontend2',
          containers: [goodContainer({ args: ['query-frontend', '--query-frontend.downstream-url=http://query.monitoring.svc'] })],
        }),
        workload({
          name: 'query',
          containers: [
            goodContainer({
              args: ['query', '--http-address=0.0.0.0:9090'],
              ports: [{ name: 'http', containerPort: 9090 }],
              livenessProbe: undefined,
              readinessProbe: undefined,
            }),
          ],
        }),
        service('query', [
          { name: 'http', port: 9090, targetPort: 'http' },
          { name: 'grpc', port: 10901, targetPort: 'grpc' },
        ]),
      ),
      expect: {
        'Deployment/frontend': [
          /^error: container app --query-frontend.downstream-url=https:\/\/query.monitoring.svc\/: Service query has no port 443 \(it has http:9090, grpc:10901\)$/,
        ],
        'Deployment/frontend2': [
          /^error: container app --query-frontend.downstream-url=http:\/\/query.monitoring.svc: Service query has no port 80 /,
        ],
      },
    },
    {
      name: 'passes: a pod DNS name (thanos-store-0.thanos-store.<ns>.svc), a trailing-dot FQDN, and an address from a variable it cannot read',
      yaml: yamlOf(
        query([
          '--endpoint=thanos-store-0.thanos-store.monitoring.svc.cluster.local:10901',
          '--endpoint=thanos-store.monitoring.svc.cluster.local.:10901',
          '--endpoint=$(STORE_HOST):10901',
        ]),
        workload({ kind: 'StatefulSet', name: 'thanos-store', containers: [goodContainer({ args: ['store'] })] }),
        service('thanos-store', [{ name: 'grpc', port: 10901, targetPort: 'grpc' }]),
      ),
      expect: {},
    },
    {
      name: 'fails: a pod DNS name under a headless Service that is not in the input',
      yaml: yamlOf(
        query(['--endpoint=thanos-store-0.thanos-stores.monitoring.svc:10901']),
        workload({ kind: 'StatefulSet', name: 'thanos-store', containers: [goodContainer({ args: ['store'] })] }),
        service('thanos-store', [{ name: 'grpc', port: 10901, targetPort: 'grpc' }]),
      ),
      expect: {
        'Deployment/query': [
          /^error: .*thanos-store-0.thanos-stores.monitoring.svc:10901: names Service thanos-stores in namespace monitoring, which is not in the input; the address does not resolve$/,
        ],
      },
    },
    {
      name: 'notes: a namespace the input does not cover is not checked, once',
      yaml: yamlOf(query(['--endpoint=thanos-store.team-b.svc:10901', '--store=thanos-store.team-b.svc:10901'])),
      expect: {
        'Deployment/query': [
          /^warning: container app --endpoint=thanos-store.team-b.svc:10901: namespace team-b is not in the input; the address was not checked$/,
        ],
      },
    },
    {
      name: 'passes: a leaf in another cluster over TLS (endpoint SD with tls_config) is for fleet-wiring to check',
      yaml: yamlOf(
        query([
          '--endpoint.sd-config=endpoints: [{address: "thanos-query-grpc.leaf-a.monitoring.svc:10901", client_config: {tls_config: {ca_file: /etc/tls/ca.crt}}}]',
        ]),
      ),
      expect: {},
    },
    {
      name: "fails: Query's endpoint on Receive's remote-write port (HTTP), found from the port the Service targets",
      yaml: yamlOf(
        query(['--endpoint=thanos-receive.monitoring.svc:19291', '--endpoint=thanos-receive.monitoring.svc:10901']),
        workload({
          kind: 'StatefulSet',
          name: 'thanos-receive',
          containers: [
            goodContainer({
              args: ['receive', '--remote-write.address=0.0.0.0:19291'],
              ports: [
                { name: 'http', containerPort: 10902 },
                { name: 'grpc', containerPort: 10901 },
                { name: 'rw', containerPort: 19291 },
              ],
            }),
          ],
        }),
        service('thanos-receive', [
          { name: 'store', port: 10901, targetPort: 10901 },
          { name: 'receive', port: 19291, targetPort: 'rw' },
        ]),
      ),
      expect: {
        'Deployment/query': [
          /^error: container app --endpoint=thanos-receive.monitoring.svc:19291: Service thanos-receive port 19291 leads to HTTP, but --endpoint speaks gRPC$/,
        ],
      },
    },
    {
      name: 'fails: the frontend on a Query Service port named for neither protocol that targets gRPC',
      yaml: yamlOf(
        frontend('http://query.monitoring.svc:10901'),
        workload({ name: 'query', containers: [goodContainer({ args: ['query'] })] }),
        service('query', [
          { name: 'api', port: 10901, targetPort: '10901' },
          { name: 'web', port: 9090, targetPort: 10902 },
        ]),
      ),
      expect: {
        'Deployment/frontend': [
          /^error: container app --query-frontend.downstream-url=http:\/\/query.monitoring.svc:10901: Service query port 10901 leads to gRPC, but --query-frontend.downstream-url speaks HTTP$/,
        ],
      },
    },
    {
      // prometheus-operator v0.89.0 example/user-guides/getting-started/example-app-deployment.yaml (also
      // example/shards/) and kube-prometheus v0.18.0 examples/example-app/example-app.yaml: the scrape target
      // of the user guides, an app on 8080 whose image merely has prometheus in its name. It is no Prometheus
      // server, so --web.listen-address's default 9090 says nothing about its port.
      name: 'passes: the prometheus-operator example app (quay.io/brancz/prometheus-example-app) declares web on 8080',
      yaml: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: example-app}
spec:
  selector: {matchLabels: {app: example-app}}
  template:
    metadata: {labels: {app: example-app}}
    spec:
      containers:
      - name: example-app
        image: quay.io/brancz/prometheus-example-app:v0.5.0
        ports: [{name: web, containerPort: 8080}]
      - name: demo
        image: quay.io/fabxc/prometheus_demo_service
        ports: [{name: web, containerPort: 8080}]
`,
      expect: {},
    },
    {
      name: 'fails: a vendor-mirrored Prometheus (rancher/mirrored-prometheus-prometheus) declares web on 8080 but listens on the default 9090',
      yaml: `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: prometheus}
spec:
  serviceName: prometheus
  selector: {matchLabels: {app: prometheus}}
  template:
    metadata: {labels: {app: prometheus}}
    spec:
      containers:
      - name: server
        image: rancher/mirrored-prometheus-prometheus:v3.5.0
        args: [--config.file=/etc/prometheus/prometheus.yml]
        ports: [{name: web, containerPort: 8080}]
`,
      expect: {
        'StatefulSet/prometheus': [/^error: container server: port web is declared as 8080, but --web.listen-address listens on 9090$/],
      },
    },
  ]);
});

describe('wiring (mutation: addresses, ports and probes)', () => {
  const ns = null;
  const promPod = (sidecarUrl: string, prometheus: Record<string, unknown> = {}) =>
    workload({
      kind: 'StatefulSet',
      name: 'prometheus',
      containers: [
        goodContainer({
          name: 'prometheus',
          image: 'quay.io/prometheus/prometheus:v3.13.2',
          args: [],
          ports: [{ name: 'web', containerPort: 9090 }],
          livenessProbe: { httpGet: { path: '/-/healthy', port: 'web' } },
          readinessProbe: { httpGet: { path: '/-/ready', port: 'web' } },
          ...prometheus,
        }),
        goodContainer({ name: 'thanos-sidecar', args: ['sidecar', `--prometheus.url=${sidecarUrl}`] }),
      ],
    });
  const frontendWithoutNamespace = (name: string, url: string) =>
    workload({
      name,
      namespace: ns,
      containers: [goodContainer({ env: [POD_ENV[1]], args: ['query-frontend', `--query-frontend.downstream-url=${url}`] })],
    });
  const ruler = (args: string[], namespace?: null) =>
    workload({ kind: 'StatefulSet', name: 'ruler', namespace, containers: [goodContainer({ args: ['rule', ...args] })] });
  const alertmanager = (image: string, namespace?: null) =>
    workload({
      kind: 'StatefulSet',
      name: 'alertmanager',
      namespace,
      containers: [
        { name: 'alertmanager', image, ports: [{ name: 'web', containerPort: 9093 }] },
        { name: 'config-reloader', image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.80.0' },
      ],
    });
  policyTable(wiring, [
    {
      // A port or listen address from a variable is read at run time: nothing to compare here.
      name: 'passes: an endpoint port and a listen address from variables are not checked',
      yaml: yamlOf(
        query(['--endpoint=store.monitoring.svc:$(STORE_GRPC_PORT)', '--http-address=$(HTTP_ADDRESS)']),
        workload({ kind: 'StatefulSet', name: 'store', containers: [goodContainer({ args: ['store'] })] }),
        service('store', [{ name: 'grpc', port: 10901, targetPort: 'grpc' }]),
        promPod('http://localhost:9090', { args: ['--web.listen-address=$(LISTEN)'], ports: [] }),
      ),
      expect: {},
    },
    {
      name: "fails: Query pointed at Prometheus' web port (Service port named web) and a frontend at a gRPC port named grpc, whose pods are elsewhere",
      yaml: yamlOf(
        query(['--endpoint=prometheus-k8s.monitoring.svc:9090']),
        service('prometheus-k8s', [
          { name: 'web', port: 9090, targetPort: 'web' },
          { name: 'grpc', port: 10901, targetPort: 'grpc' },
        ]),
        frontend('http://thanos-query.monitoring.svc:10901'),
        service('thanos-query', [
          { name: 'grpc', port: 10901, targetPort: 'grpc' },
          { name: 'http', port: 9090, targetPort: 'http' },
        ]),
      ),
      expect: {
        'Deployment/query': [
          /^error: container app --endpoint=prometheus-k8s.monitoring.svc:9090: Service prometheus-k8s port 9090 leads to HTTP, but --endpoint speaks gRPC$/,
        ],
        'Deployment/frontend': [/Service thanos-query port 10901 leads to gRPC, but --query-frontend.downstream-url speaks HTTP$/],
      },
    },
    {
      // The protocol behind an unnamed port (no targetPort: the port itself) or a neutral name comes from the
      // listen flags of the pods the Service selects, through the container port a named targetPort names.
      name: 'fails: the frontend on an unnamed Service port without targetPort, and on a port named api whose targetPort is the named grpc port',
      yaml: yamlOf(
        frontend('http://query.monitoring.svc:10901'),
        workload({
          name: 'frontend2',
          containers: [goodContainer({ args: ['query-frontend', '--query-frontend.downstream-url=http://query2.monitoring.svc:80'] })],
        }),
        workload({ name: 'query', containers: [goodContainer({ args: ['query'] })] }),
        service('query', [{ port: 10901 } as never]),
        workload({
          name: 'query2',
          containers: [
            goodContainer({
              args: ['query'],
              ports: [
                { name: 'grpc', containerPort: 10901 },
                { name: 'http', containerPort: 10902 },
              ],
            }),
          ],
        }),
        service('query2', [{ name: 'api', port: 80, targetPort: 'grpc' }]),
      ),
      expect: {
        'Deployment/frontend': [/Service query port 10901 leads to gRPC, but --query-frontend.downstream-url speaks HTTP$/],
        'Deployment/frontend2': [/Service query2 port 80 leads to gRPC, but --query-frontend.downstream-url speaks HTTP$/],
      },
    },
    {
      name: 'fails: a Ruler alerting a misspelt Alertmanager beside the one the input runs (from a registry with a port, beside its config-reloader)',
      yaml: yamlOf(
        ruler(['--alertmanagers.url=http://alertmanagr.monitoring.svc:9093', '--query=http://query.monitoring.svc:9090']),
        alertmanager('registry.example.com:5000/prometheus/alertmanager:v0.28.1'),
        service('alertmanager', [{ name: 'web', port: 9093, targetPort: 'web' }]),
        service('query', [{ name: 'http', port: 9090, targetPort: 'http' }]),
      ),
      expect: {
        'StatefulSet/ruler': [
          /^error: container app --alertmanagers.url=http:\/\/alertmanagr.monitoring.svc:9093: names Service alertmanagr in namespace monitoring, which is not in the input; the address does not resolve$/,
        ],
      },
    },
    {
      // kube-thanos style: no namespace in the manifests, applied with -n; $(NAMESPACE) from the downward API is
      // then the pods' own namespace, whichever it is.
      name: 'manifests without a namespace: $(NAMESPACE) is the own one (a misspelt Service fails), a misspelt Alertmanager beside the input one fails',
      yaml: yamlOf(
        frontendWithoutNamespace('frontend', 'http://query.$(NAMESPACE).svc:9090'),
        frontendWithoutNamespace('frontend-typo', 'http://querry.$(NAMESPACE).svc.cluster.local:9090'),
        workload({
          name: 'query',
          namespace: ns,
          containers: [goodContainer({ args: ['query', '--http-address=0.0.0.0:9090'], ports: [{ name: 'http', containerPort: 9090 }] })],
        }),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'query' },
          spec: { selector: { app: 'query' }, ports: [{ name: 'http', port: 9090, targetPort: 'http' }] },
        },
        ruler(['--alertmanagers.url=http://alertmanger:9093'], ns),
        alertmanager('quay.io/prometheus/alertmanager:v0.28.1', ns),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'alertmanager' },
          spec: { selector: { app: 'alertmanager' }, ports: [{ name: 'web', port: 9093 }] },
        },
      ),
      expect: {
        'Deployment/frontend-typo': [
          /querry.\$\(NAMESPACE\).svc.cluster.local:9090: names Service querry, which is not in the input; the address does not resolve$/,
        ],
        'StatefulSet/ruler': [/--alertmanagers.url=http:\/\/alertmanger:9093: names Service alertmanger, which is not in the input/],
      },
    },
    {
      name: 'notes: a three-label outside name once, and each namespace the input does not cover once',
      yaml: yamlOf(
        query(['--endpoint=thanos.example.com:10901', '--endpoint=store.team-a.svc:10901', '--endpoint=store.team-b.svc:10901']),
      ),
      expect: {
        'Deployment/query': [
          /^warning: container app --endpoint=thanos.example.com:10901: thanos.example.com is outside the cluster/,
          /^warning: .*store.team-a.svc:10901: namespace team-a is not in the input; the address was not checked$/,
          /^warning: .*store.team-b.svc:10901: namespace team-b is not in the input; the address was not checked$/,
        ],
      },
    },
    {
      // Thanos v0.42.4 pkg/clientconfig/config.go:61-63: a Ruler --query without a scheme gets http://, and an
      // HTTP URL without a port dials 80 (https 443).
      name: 'fails: a Ruler --query without scheme or port dials port 80, which the Query Service lacks; https without a port is 443',
      yaml: yamlOf(
        ruler(['--query=query.monitoring.svc', '--query=https://query-tls.monitoring.svc']),
        service('query', [{ name: 'http', port: 9090, targetPort: 'http' }]),
        service('query-tls', [{ name: 'https', port: 443, targetPort: 'http' }]),
      ),
      expect: {
        'StatefulSet/ruler': [/^error: container app --query=query.monitoring.svc: Service query has no port 80 \(it has http:9090\)$/],
      },
    },
    {
      // Whether a dnssrv+ name's Service and named port exist is discovery-headless' to say.
      name: 'passes: dnssrv+ names of a Service the input lacks and of a port name its Service lacks are left to discovery-headless',
      yaml: yamlOf(
        query(['--endpoint=dnssrv+_grpc._tcp.missing.monitoring.svc', '--endpoint=dnssrv+_grpcx._tcp.store.monitoring.svc']),
        service('store', [{ name: 'grpc', port: 10901, targetPort: 'grpc' }]),
      ),
      expect: {},
    },
    {
      // Thanos v0.42.4 pkg/discovery/dns/provider.go:113 and resolver.go:36-37: dnsdualstack+ resolves A and AAAA.
      name: 'dnsdualstack+ names a Service like dns+ (a misspelt one fails); IP addresses are noted once each as not checked',
      yaml: yamlOf(
        query([
          '--endpoint=dnsdualstack+store.monitoring.svc:10901',
          '--endpoint=dnsdualstack+stor.monitoring.svc:10901',
          '--endpoint=10.96.0.15:10901',
          '--endpoint=[fd00::15]:10901',
        ]),
        workload({ kind: 'StatefulSet', name: 'store', containers: [goodContainer({ args: ['store'] })] }),
        service('store', [{ name: 'grpc', port: 10901, targetPort: 'grpc' }]),
      ),
      expect: {
        'Deployment/query': [
          /dnsdualstack\+stor.monitoring.svc:10901: names Service stor in namespace monitoring, which is not in the input/,
          /^warning: container app --endpoint=10.96.0.15:10901: 10.96.0.15 is an IP address; it was not checked/,
          /^warning: container app --endpoint=\[fd00::15\]:10901: \[fd00::15\] is an IP address; it was not checked/,
        ],
      },
    },
    {
      name: 'localhost: a sidecar pointed at its own HTTP port fails; [::1] and a Prometheus image the rule does not know, declaring 9090, pass',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'self',
          containers: [
            goodContainer({
              name: 'prometheus',
              image: 'quay.io/prometheus/prometheus:v3.13.2',
              args: [],
              ports: [{ name: 'web', containerPort: 9090 }],
              livenessProbe: undefined,
              readinessProbe: undefined,
            }),
            goodContainer({ name: 'thanos-sidecar', args: ['sidecar', '--prometheus.url=http://localhost:10902'] }),
          ],
        }),
        promPod('http://[::1]:9090'),
        workload({
          kind: 'StatefulSet',
          name: 'mirrored',
          containers: [
            { name: 'server', image: 'registry.example.com/mirror/tsdb-server:v3.5.0', ports: [{ name: 'web', containerPort: 9090 }] },
            goodContainer({ name: 'thanos-sidecar', args: ['sidecar', '--prometheus.url=http://127.0.0.1:9090'] }),
          ],
        }),
      ),
      expect: {
        'StatefulSet/self': [
          /^error: container thanos-sidecar --prometheus.url=http:\/\/localhost:10902: no other container of this pod listens on port 10902 \(thanos-sidecar itself does: it would ask itself\)$/,
        ],
      },
    },
    {
      // thanos v0.42.4 cmd/thanos/query_frontend.go and tools_bucket.go:599-601 register HTTP flags only: no gRPC port.
      name: 'fails: a TCP probe on 10901 of a Query Frontend and of tools bucket web, which open no gRPC port; a TCP probe on Store gRPC passes',
      yaml: yamlOf(
        workload({
          name: 'frontend',
          containers: [
            goodContainer({
              args: ['query-frontend'],
              ports: [{ name: 'http', containerPort: 10902 }],
              livenessProbe: { tcpSocket: { port: 10901 } },
            }),
          ],
        }),
        workload({
          name: 'bucket-web',
          containers: [
            goodContainer({
              args: ['tools', 'bucket', 'web'],
              ports: [{ name: 'http', containerPort: 10902 }],
              readinessProbe: { tcpSocket: { port: 10901 } },
            }),
          ],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'store',
          containers: [goodContainer({ args: ['store'], livenessProbe: { tcpSocket: { port: 'grpc' } } })],
        }),
      ),
      expect: {
        'Deployment/frontend': [
          /^error: container app: livenessProbe hits port 10901, which none of its listen flags opens \(--http-address 10902\)/,
        ],
        'Deployment/bucket-web': [
          /^error: container app: readinessProbe hits port 10901, which none of its listen flags opens \(--http-address 10902\)/,
        ],
      },
    },
    {
      // A quoted containerPort or probe port, or a probe on a port name the container lacks, is the API server's
      // to refuse (api-server and schema report it); unnamed declared ports say no protocol.
      name: 'passes: quoted ports and probe ports on undeclared names are left to the schema and api-server; an unnamed declared port is not compared',
      yaml: yamlOf(
        workload({
          name: 'query',
          containers: [
            goodContainer({
              args: ['query'],
              ports: [{ name: 'http', containerPort: '10902' as never }, { name: 'grpc', containerPort: 10901 }, { containerPort: 10905 }],
              livenessProbe: { httpGet: { path: '/-/healthy', port: 'metrics' } },
              readinessProbe: { httpGet: { path: '/-/ready', port: '10902' } },
            }),
          ],
        }),
      ),
      expect: {},
    },
  ]);
});
