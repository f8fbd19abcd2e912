import { describe } from 'vitest';
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
  {
    // Kubernetes 1.32 pkg/apis/core/validation/validation.go validateContainerPorts: a name is checked only when
    // len(port.Name) > 0, and only a valid name goes into allNames, the set duplicates are found in.
    name: 'passes: container ports with an empty name (no name to the API server, validateContainerPorts)',
    yaml: yamlOf(
      workload({
        name: 'blank',
        containers: [
          goodContainer({
            ports: [
              { name: 'http', containerPort: 8080 },
              { name: '', containerPort: 9090 },
              { name: '', containerPort: 10901 },
            ],
          }),
        ],
      }),
    ),
    expect: {},
  },
  {
    name: 'fails: an invalid port name given twice is reported as invalid each time, not also as a duplicate (validateContainerPorts)',
    yaml: yamlOf(
      workload({
        name: 'twice',
        containers: [
          goodContainer({
            ports: [
              { name: 'http', containerPort: 8080 },
              { name: 'grpc_tls', containerPort: 10901 },
              { name: 'grpc_tls', containerPort: 10902 },
            ],
          }),
        ],
      }),
    ),
    expect: {
      'Deployment/twice': [
        /^error: container app: port name 'grpc_tls' is not an IANA service name/,
        /^error: container app: port name 'grpc_tls' is not an IANA service name/,
      ],
    },
  },
]);

// Upstream (Kubernetes 1.32): k8s.io/apimachinery v0.32.0 pkg/util/validation/validation.go (IsDNS1123Label and
// IsDNS1035Label: at most 63; IsDNS1123Subdomain: 253; IsValidLabelValue: 63; IsQualifiedName: name part 63;
// IsValidPortName: at most 15, [-a-z0-9], a letter, no "--"; IsValidPortNum: 1-65535; IsConfigMapKey) and
// k8s.io/kubernetes pkg/apis/core/validation/validation.go (validateContainerPorts: hostPort 0 means unset).
describe('api-server (mutation)', () => {
  const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const svc = (name: string, ports: unknown[]) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'monitoring' },
    spec: { selector: { app: 'web' }, ports },
  });
  const job = (kind: 'Job' | 'CronJob', name: string, restartPolicy?: string) => {
    const template = { spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'c', image: 'busybox:1.36' }] } };
    return kind === 'Job'
      ? { apiVersion: 'batch/v1', kind, metadata: { name, namespace: 'monitoring' }, spec: { template } }
      : {
          apiVersion: 'batch/v1',
          kind,
          metadata: { name, namespace: 'monitoring' },
          spec: { schedule: '@daily', jobTemplate: { spec: { template } } },
        };
  };
  policyTable(apiServer, [
    {
      name: 'passes: names, labels, ports and keys at the limits the API server accepts',
      yaml: yamlOf(
        ns(`m${'x'.repeat(62)}`),
        svc(`s${'x'.repeat(62)}`, [{ port: 443, targetPort: 8443 }]),
        job('CronJob', `c${'x'.repeat(51)}`, 'OnFailure'),
        job('Job', 'once', 'OnFailure'),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'thanos.query-config', namespace: 'monitoring' },
          data: { 'objstore.yml': 'x', OBJSTORE_CONFIG: 'y', [`k${'x'.repeat(252)}`]: 'z' },
          binaryData: { 'ca.crt': 'eA==' },
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'pull', namespace: 'monitoring' },
          stringData: { '.dockerconfigjson': '{}' },
        },
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'web', namespace: 'monitoring' },
          spec: { minAvailable: null, maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
        },
        workload({
          name: 'web',
          replicas: 0,
          labels: { app: 'web', 'example.com/Team_Name': `A${'b'.repeat(61)}9`, 'app.kubernetes.io/version': 'v1.12.1', empty: '' },
          volumes: [{ name: 'root', emptyDir: {} }],
          containers: [
            goodContainer({
              ports: [
                { name: 'http', containerPort: 65535, hostPort: 0 },
                { name: 'web-metrics-123', containerPort: 1, hostPort: 65535 },
              ],
              volumeMounts: [{ name: 'root', mountPath: '/' }],
              resources: {
                requests: { cpu: '100m', memory: '1Gi', 'ephemeral-storage': '1Gi' },
                limits: { memory: '1Gi', 'ephemeral-storage': '1Gi' },
              },
              livenessProbe: { grpc: { port: 10901 } },
              readinessProbe: { tcpSocket: { port: 65535 } },
              startupProbe: { httpGet: { path: '/', port: 'web-metrics-123' }, exec: null },
            }),
          ],
        }),
      ),
      expect: {},
    },
    {
      name: 'fails: names one character too long, upper case and underscores, a namespace that is no label',
      yaml: yamlOf(
        ns(`m${'x'.repeat(63)}`),
        ns('Monitoring'),
        svc(`s${'x'.repeat(63)}`, [{ port: 443 }]),
        job('CronJob', `c${'x'.repeat(52)}`, 'OnFailure'),
        workload({ name: 'web', namespace: 'Team_A', containers: [goodContainer({ name: 'thanos_sidecar' })] }),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${'x'.repeat(253)}`, namespace: 'monitoring' }, data: {} },
      ),
      expect: {
        [`Namespace/m${'x'.repeat(63)}`]: [
          /^error: metadata.name 'mx+' is not a DNS-1123 label \(lower-case letters, digits and -, at most 63\): the API server rejects it$/,
        ],
        'Namespace/Monitoring': [/^error: metadata.name 'Monitoring' is not a DNS-1123 label/],
        [`Service/s${'x'.repeat(63)}`]: [
          /^error: metadata.name 'sx+' is not a DNS-1035 label .*: the API server rejects a Service so named$/,
        ],
        [`CronJob/c${'x'.repeat(52)}`]: [/^error: metadata.name 'cx+' has 53 characters; the API server rejects a CronJob name over 52$/],
        'Deployment/web': [
          /^error: metadata.namespace 'Team_A' is not a DNS-1123 label: the API server rejects it$/,
          /^error: container thanos_sidecar: the name is not a DNS-1123 label$/,
        ],
        [`ConfigMap/c${'x'.repeat(253)}`]: [
          /^error: metadata.name 'cx+' is not a DNS-1123 subdomain \(lower-case letters, digits, - and ., at most 253\)/,
        ],
      },
    },
    {
      name: 'fails: label keys and values the API server refuses, on the object and on the pod template',
      yaml: yamlOf(
        workload({
          name: 'web',
          labels: {
            app: 'web',
            'app.kubernetes.io/': 'x',
            [`k${'x'.repeat(63)}`]: 'x',
            version: 'v1.12.1+build',
            long: `v${'x'.repeat(63)}`,
            edge: 'web-',
          },
          containers: [goodContainer()],
        }),
      ),
      expect: {
        'Deployment/web': [
          /^error: pod template labels key 'app.kubernetes.io\/' is not a valid label name$/,
          /^error: pod template labels key 'kx+' is not a valid label name$/,
          /^error: pod template labels.version value 'v1.12.1\+build' is not a valid label value \(letters, digits, -, _ and ., at most 63, alphanumeric at both ends\)$/,
          /^error: pod template labels.long value 'vx+' is not a valid label value/,
          /^error: pod template labels.edge value 'web-' is not a valid label value/,
        ],
      },
    },
    {
      name: 'fails: port names that are no IANA service name, a hostPort out of range, mount and probe mistakes',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'store',
          claims: ['data'],
          volumes: [{ name: 'root', emptyDir: {} }],
          containers: [
            goodContainer({
              ports: [
                { name: 'metrics-http-01x', containerPort: 9090 },
                { name: '8080', containerPort: 8080 },
                { name: 'grpc--tls', containerPort: 10901, hostPort: 70000 },
                { name: 'http', containerPort: 0 },
              ],
              volumeMounts: [
                { name: 'root', mountPath: '/' },
                { name: 'data', mountPath: '//' },
                { name: 'cache', mountPath: '/cache' },
              ],
              resources: {
                requests: { cpu: '-100m', memory: '1Gi', 'ephemeral-storage': '2Gi' },
                limits: { memory: '2GB', 'ephemeral-storage': '1Gi' },
              },
              livenessProbe: { periodSeconds: 10 },
              readinessProbe: { httpGet: { path: '/', port: 0 } },
              startupProbe: { tcpSocket: { port: 70000 } },
            }),
            goodContainer({
              name: 'reloader',
              ports: [],
              livenessProbe: { httpGet: { path: '/', port: 'http' } },
              readinessProbe: null,
            }),
          ],
        }),
      ),
      expect: {
        'StatefulSet/store': [
          /^error: container app: port name 'metrics-http-01x' is not an IANA service name \(at most 15 lower-case letters, digits and -, with a letter\)$/,
          /^error: container app: port name '8080' is not an IANA service name/,
          /^error: container app: port name 'grpc--tls' is not an IANA service name/,
          /^error: container app: hostPort 70000 is not between 1 and 65535$/,
          /^error: container app: containerPort 0 is not between 1 and 65535$/,
          /^error: container app: volumeMount cache \(at \/cache\) names no volume of the pod and no volumeClaimTemplate$/,
          /^error: container app: mountPath \/ is mounted 2 times; the API server requires unique mount paths in a container$/,
          /^error: container app: resources.limits.ephemeral-storage 1Gi is below its request 2Gi; the API server rejects the pod template \("must be less than or equal to ephemeral-storage limit", pkg\/apis\/core\/validation ValidateResourceRequirements\): raise the limit to at least 2Gi or lower the request$/,
          /^error: container app: resources.requests.cpu -100m is negative$/,
          /^error: container app: resources.limits.memory '2GB' is not a quantity \(e.g. 512Mi, 1Gi, 250m\): the API server rejects it$/,
          /^error: container app: livenessProbe has no handler \(exec, httpGet, tcpSocket or grpc\)$/,
          /^error: container app: readinessProbe.httpGet.port 0 is not between 1 and 65535$/,
          /^error: container app: startupProbe.tcpSocket.port 70000 is not between 1 and 65535$/,
          /^error: container reloader: livenessProbe.httpGet.port 'http' is not a port name the container declares \(it declares none\); the probe always fails$/,
        ],
      },
    },
    {
      name: 'fails: a missing selector, restartPolicy on a StatefulSet and a CronJob, a ReplicaSet selecting other pods',
      yaml: yamlOf(
        `apiVersion: apps/v1
kind: Deployment
metadata: {name: noselector, namespace: monitoring}
spec:
  template:
    metadata: {labels: {app: noselector}}
    spec:
      containers: [{name: app, image: 'quay.io/thanos/thanos:v0.42.4'}]
`,
        workload({ kind: 'StatefulSet', name: 'never', containers: [goodContainer()], podSpec: { restartPolicy: 'Never' } }),
        job('CronJob', 'nightly', 'Always'),
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: 'rs', namespace: 'monitoring' },
          spec: {
            selector: { matchLabels: { app: 'other' } },
            template: { metadata: { labels: { app: 'rs' } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } },
          },
        },
      ),
      expect: {
        'Deployment/noselector': [/^error: spec.selector is required$/],
        'StatefulSet/never': [
          /^error: spec.template.spec.restartPolicy is Never: the API server rejects a StatefulSet whose pods are not restarted \("Unsupported value: "Never": supported values: "Always""\); remove the field/,
        ],
        'CronJob/nightly': [
          /^error: spec.jobTemplate.spec.template.spec.restartPolicy is Always: the API server rejects a CronJob whose pods restart forever \(supported values: "OnFailure", "Never"\); write restartPolicy: OnFailure or Never$/,
        ],
        'ReplicaSet/rs': [
          /^error: spec.selector \{"matchLabels":\{"app":"other"\}\} does not match the pod template's labels \{"app":"rs"\}: the API server rejects it/,
        ],
      },
    },
    {
      name: 'fails: Service ports out of range, duplicate or unnamed; ConfigMap and Secret keys that are no file names',
      yaml: yamlOf(
        svc('web', [
          { name: 'http', port: 80, targetPort: 0 },
          { name: 'http', port: 70000, targetPort: 'metrics-http-port' },
          { port: 81, targetPort: 65536 },
        ]),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'objstore', namespace: 'monitoring' },
          stringData: { '..': 'x', '.': 'y' },
          binaryData: { 'certs/ca.crt': 'eA==' },
          data: { [`k${'x'.repeat(253)}`]: 'eA==' },
        },
      ),
      expect: {
        'Service/web': [
          /^error: spec.ports: targetPort 0 is not between 1 and 65535$/,
          /^error: spec.ports: port 70000 is not between 1 and 65535$/,
          /^error: spec.ports: targetPort 'metrics-http-port' is no port number and not an IANA service name/,
          /^error: spec.ports: targetPort 65536 is not between 1 and 65535$/,
          /^error: spec.ports: with more than one port, every port needs a name$/,
          /^error: spec.ports: port name http is used 2 times$/,
        ],
        'Secret/objstore': [
          /^error: data key 'kx+' is not a valid key \(letters, digits, -, _ and . only\)$/,
          /^error: binaryData key 'certs\/ca.crt' is not a valid key/,
          /^error: stringData key '..' is not a valid key/,
          /^error: stringData key '.' is not a valid key/,
        ],
      },
    },
  ]);
});
