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
