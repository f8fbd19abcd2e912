import { describe } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
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
      'StatefulSet/prometheus': [/--prometheus.url=http:\/\/localhost:9090: no container of this pod listens on port 9090/],
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
              readinessProbe: { httpGet: { path: '/-/ready', port: '9090' } },
            }),
            goodContainer({ name: 'thanos-sidecar', args: ['sidecar', '--prometheus.url=http://127.0.0.1:9091'] }),
          ],
        }),
      ),
      expect: {
        'StatefulSet/prometheus': [
          /^error: container prometheus: port web is declared as 9090, but --web.listen-address listens on 9091$/,
          /^error: container prometheus: livenessProbe hits port 9090 \(web\), which none of its listen flags opens \(--web.listen-address 9091\)/,
          /^error: container prometheus: readinessProbe hits port 9090 \(9090\), which none/,
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
