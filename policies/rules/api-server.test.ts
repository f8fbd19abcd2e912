import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { apiServer } from './api-server.js';

const _pvc = { metadata: { name: 'data' }, spec: {} };

policyTable(apiServer, [
  {
    name: 'passes: a well-formed workload, Service and names; numeric probe ports need not be declared',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'store',
        claims: ['data'],
        volumes: [{ name: 'config', configMap: { name: 'c' } }],
        containers: [
          goodContainer({
            volumeMounts: [
              { name: 'data', mountPath: '/data' },
              { name: 'config', mountPath: '/etc/c' },
            ],
            startupProbe: { tcpSocket: { port: 10901 } },
          }),
        ],
        initContainers: [goodContainer({ name: 'init', ports: [], livenessProbe: undefined, readinessProbe: undefined })],
      }),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'store', namespace: 'monitoring' },
        spec: {
          selector: { app: 'store' },
          ports: [
            { name: 'grpc', port: 10901 },
            { name: 'http', port: 10902, targetPort: 'http' },
          ],
        },
      },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:thanos' }, rules: [] },
    ),
    expect: {},
  },
  {
    name: 'fails: selector, duplicate names, missing volume, limit below request, bad ports and names, probe handlers',
    yaml: yamlOf(
      workload({
        name: 'Query_1',
        replicas: -1,
        spec: { selector: { matchLabels: { app: 'other' } } },
        containers: [
          goodContainer({
            ports: [
              { name: 'http', containerPort: 10902 },
              { name: 'http', containerPort: 70000 },
            ],
            resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } },
            volumeMounts: [{ name: 'nowhere', mountPath: '/x' }],
            livenessProbe: { httpGet: { path: '/', port: 'http' }, exec: { command: ['true'] } },
            readinessProbe: { httpGet: { path: '/', port: 'metrics' } },
          }),
          goodContainer(),
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: '9svc', namespace: 'monitoring' },
        spec: { ports: [{ name: 'a', port: 0 }, { port: 80 }] },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm', namespace: 'monitoring' },
        data: { 'ok.yaml': 'x', 'rules/bad.yaml': 'y' },
      },
    ),
    expect: {
      'Deployment/Query_1': [
        /metadata.name 'Query_1' is not a DNS-1123 subdomain/,
        /spec.replicas -1 is negative/,
        /spec.selector .* does not match the pod template's labels/,
        /container name app is used 2 times/,
        /port name http is declared 2 times/,
        /containerPort 70000 is not between 1 and 65535/,
        /volumeMount nowhere .* names no volume/,
        /limits.memory 512Mi is below its request 1Gi/,
        /livenessProbe has 2 handlers/,
        /readinessProbe.httpGet.port 'metrics' is not a port name the container declares/,
      ],
      'Service/9svc': [/not a DNS-1035 label/, /port 0 is not between 1 and 65535/, /every port needs a name/],
      'ConfigMap/cm': [/data key 'rules\/bad.yaml' is not a valid key/],
    },
  },
  {
    name: 'passes: distinct volumes and mount paths, a native sidecar init container with probes, a named Service targetPort',
    yaml: yamlOf(
      workload({
        name: 'web',
        volumes: [
          { name: 'a', emptyDir: {} },
          { name: 'b', emptyDir: {} },
        ],
        containers: [
          goodContainer({
            volumeMounts: [
              { name: 'a', mountPath: '/a' },
              { name: 'b', mountPath: '/b' },
            ],
          }),
        ],
        initContainers: [
          goodContainer({
            name: 'proxy',
            restartPolicy: 'Always',
            ports: [],
            livenessProbe: { tcpSocket: { port: 8080 } },
            readinessProbe: undefined,
          }),
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'monitoring' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      },
    ),
    expect: {},
  },
  {
    name: 'fails: a duplicate volume name or mount path, probes on a plain init container, a quoted numeric probe port, a Service targetPort that is no name',
    yaml: yamlOf(
      workload({
        name: 'web',
        volumes: [
          { name: 'a', emptyDir: {} },
          { name: 'a', emptyDir: {} },
          { name: 'b', emptyDir: {} },
        ],
        containers: [
          goodContainer({
            volumeMounts: [
              { name: 'a', mountPath: '/data' },
              { name: 'b', mountPath: '/data/' },
            ],
            livenessProbe: { httpGet: { path: '/', port: '8080' } },
            resources: { requests: { cpu: '100m', memory: '1Gb' }, limits: { memory: '2Gi' } },
          }),
        ],
        initContainers: [
          goodContainer({ name: 'init', ports: [], livenessProbe: undefined, readinessProbe: { exec: { command: ['true'] } } }),
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'monitoring' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'Http_Port' }] },
      },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'web', namespace: 'monitoring' },
        spec: { minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: `compact-${'x'.repeat(50)}`, namespace: 'monitoring' },
        spec: {
          schedule: '@daily',
          jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } } },
        },
      },
    ),
    expect: {
      'Deployment/web': [
        /volume name a is used 2 times/,
        /mountPath \/data is mounted 2 times/,
        /livenessProbe.httpGet.port '8080' is a quoted number/,
        /container init: an init container may not have readinessProbe/,
        /resources.requests.memory '1Gb' is not a quantity/,
      ],
      'PodDisruptionBudget/web': [/minAvailable and spec.maxUnavailable are both set/],
      [`CronJob/compact-${'x'.repeat(50)}`]: [/has 58 characters; the API server rejects a CronJob name over 52/],
      'Service/web': [/targetPort 'Http_Port' is no port number and not an IANA service name/],
    },
  },
  {
    // apps/validation (ValidatePodTemplateSpecForReplicaSet, ValidateStatefulSetSpec, ValidateDaemonSetSpec): only Always;
    // batch/validation: only OnFailure or Never. pkg/controller/history ControllerRevisionName: <name>-<hash of up to 10>.
    name: 'restartPolicy per controller, StatefulSet name length, CPU limit below request: failing cases',
    yaml: yamlOf(
      workload({ name: 'web', containers: [goodContainer()], podSpec: { restartPolicy: 'OnFailure' } }),
      workload({ kind: 'StatefulSet', name: 's'.repeat(53), containers: [goodContainer()] }),
      workload({
        kind: 'StatefulSet',
        name: 'cpu',
        containers: [goodContainer({ resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '250m', memory: '1Gi' } } })],
      }),
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'once', namespace: 'monitoring' },
        spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
      },
    ),
    expect: {
      'Deployment/web': [/spec.template.spec.restartPolicy is OnFailure: the API server rejects a Deployment .*supported values: "Always"/],
      [`StatefulSet/${'s'.repeat(53)}`]: [
        /has 53 characters: its pods would carry the label controller-revision-hash=.* shorten the name to at most 52 characters/,
      ],
      'StatefulSet/cpu': [/resources.limits.cpu 250m is below its request 500m/],
      'Job/once': [/spec.template.spec.restartPolicy is unset \(it defaults to Always\): the API server rejects a Job/],
    },
  },
  {
    name: 'restartPolicy Always (or unset) on a Deployment, Never on a Job, a 52-character StatefulSet name, CPU limit at its request: passing cases',
    yaml: yamlOf(
      workload({ name: 'web', containers: [goodContainer()], podSpec: { restartPolicy: 'Always' } }),
      workload({ kind: 'DaemonSet', name: 'agent', containers: [goodContainer()] }),
      workload({ kind: 'StatefulSet', name: 's'.repeat(52), containers: [goodContainer()] }),
      workload({
        kind: 'StatefulSet',
        name: 'cpu',
        containers: [goodContainer({ resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '0.25', memory: '1Gi' } } })],
      }),
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'once', namespace: 'monitoring' },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
      },
    ),
    expect: {},
  },
]);
