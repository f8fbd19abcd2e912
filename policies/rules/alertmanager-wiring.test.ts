import { goodContainer, prometheusWithConfig, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { alertmanagerWiring } from './alertmanager-wiring.js';

const CONFIG = 'route:\n  receiver: default\nreceivers:\n  - name: default\n';

/** An Alertmanager StatefulSet `name` of `replicas`, its config Secret (key `key`) and, unless `service` is false, its headless Service. */
function alertmanager(
  name: string,
  opts: {
    replicas?: number;
    args?: string[];
    key?: string;
    service?: false | 'headless' | 'clusterip';
    servicePorts?: unknown[];
    version?: string;
  } = {},
) {
  const labels = { app: name };
  const out: unknown[] = [
    workload({
      kind: 'StatefulSet',
      name,
      replicas: opts.replicas ?? 2,
      labels,
      serviceName: name,
      volumes: [{ name: 'config', secret: { secretName: `${name}-config` } }],
      containers: [
        goodContainer({
          name: 'alertmanager',
          image: `quay.io/prometheus/alertmanager:${opts.version ?? 'v0.32.1'}`,
          args: opts.args ?? [
            '--config.file=/etc/alertmanager/alertmanager.yaml',
            `--cluster.peer=${name}-0.${name}:9094`,
            `--cluster.peer=${name}-1.${name}:9094`,
          ],
          ports: [
            { name: 'web', containerPort: 9093 },
            { name: 'mesh-tcp', containerPort: 9094 },
          ],
          volumeMounts: [{ name: 'config', mountPath: '/etc/alertmanager' }],
        }),
      ],
    }),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-config`, namespace: 'monitoring' },
      stringData: { [opts.key ?? 'alertmanager.yaml']: CONFIG },
    },
  ];
  if (opts.service !== false)
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'monitoring' },
      spec: {
        ...(opts.service === 'clusterip' ? {} : { clusterIP: 'None' }),
        selector: labels,
        ports: opts.servicePorts ?? [
          { name: 'web', port: 9093, targetPort: 'web' },
          { name: 'mesh-tcp', port: 9094, targetPort: 'mesh-tcp' },
        ],
      },
    });
  return out;
}

/** A Prometheus v`version` whose alerting section is `alerting` (YAML). */
const prometheus = (name: string, alerting: string, version = 'v3.13.2') =>
  prometheusWithConfig(name, `alerting:\n${alerting}`, { image: `quay.io/prometheus/prometheus:${version}` });
const sd = (portRegex: string, role = 'endpointslice', api = 'v2') =>
  `  alertmanagers:\n    - api_version: ${api}\n      kubernetes_sd_configs: [{role: ${role}, namespaces: {own_namespace: true}}]\n      relabel_configs:\n        - {source_labels: [__meta_kubernetes_service_name], regex: am, action: keep}\n        - {source_labels: [${role === 'pod' ? '__meta_kubernetes_pod_container_port_name' : `__meta_kubernetes_${role === 'endpoints' ? 'endpoint' : role}_port_name`}], regex: ${portRegex}, action: keep}\n`;

policyTable(alertmanagerWiring, [
  {
    name: 'passes: pod names under the headless Service in each spelling, a ClusterIP Service with the cluster port, one replica alone, a Prometheus that finds the web port by name',
    yaml: yamlOf(
      ...alertmanager('am'),
      ...alertmanager('qualified', {
        args: [
          '--config.file',
          '/etc/alertmanager/alertmanager.yaml',
          '--cluster.peer',
          'qualified-0.qualified.monitoring.svc.cluster.local:9094',
          '--cluster.peer=qualified-1.qualified.monitoring.svc:9094',
        ],
      }),
      ...alertmanager('vip', {
        service: 'clusterip',
        args: ['--config.file=/etc/alertmanager/alertmanager.yaml', '--cluster.peer=vip:9094'],
      }),
      ...alertmanager('single', { replicas: 1, args: ['--config.file=/etc/alertmanager/alertmanager.yaml'] }),
      ...alertmanager('moved', {
        args: [
          '--config.file=/etc/alertmanager/alertmanager.yaml',
          '--cluster.listen-address=0.0.0.0:9999',
          '--cluster.peer=moved-0.moved:9999',
        ],
      }),
      ...prometheus('prom', sd('web')),
      ...prometheus('prom-pod', sd('web', 'pod')),
      ...prometheus('prom-static', '  alertmanagers:\n    - static_configs: [{targets: ["am-0.am:9093"]}]\n'),
      ...prometheus('prom-v2', sd('web', 'endpoints', 'v2'), 'v2.55.1'),
    ),
    expect: {},
  },
  {
    name: 'passes: Prometheus v2.55 with api_version v1 beside an Alertmanager v0.26 (API v1 still served, A@v0.26.0 api/api.go:113)',
    yaml: yamlOf(...alertmanager('am', { version: 'v0.26.0' }), ...prometheus('v1-old-am', sd('web', 'endpoints', 'v1'), 'v2.55.1')),
    expect: {},
  },
  {
    name: 'fails: a peer without a port exits (A@v0.32.3 cluster/cluster.go:736-739, cmd/alertmanager/main.go:240-262)',
    yaml: yamlOf(
      ...alertmanager('noport', {
        args: [
          '--config.file=/etc/alertmanager/alertmanager.yaml',
          '--cluster.peer=noport-0.noport',
          '--cluster.peer=noport-1.noport:9094',
        ],
      }),
    ),
    expect: {
      'StatefulSet/noport': [
        /^error: container alertmanager: alertmanager v0.32 exits at start: --cluster.peer=noport-0.noport has no port .*"split host\/port for peer noport-0.noport: missing port in address".*write --cluster.peer=noport-0.noport:9094/,
      ],
    },
  },
  {
    name: 'fails: replicas > 1 and no peers, or clustering off: each replica alone notifies (A@v0.32.3 cmd/alertmanager/main.go:240)',
    yaml: yamlOf(
      ...alertmanager('alone', { replicas: 3, args: ['--config.file=/etc/alertmanager/alertmanager.yaml'] }),
      ...alertmanager('off', { args: ['--config.file=/etc/alertmanager/alertmanager.yaml', '--cluster.listen-address='] }),
    ),
    expect: {
      'StatefulSet/alone': [
        /alertmanager runs 3 replicas and no --cluster.peer: each replica runs alone .*3 copies of each.*add --cluster.peer=alone-0.alone:9094 --cluster.peer=alone-1.alone:9094 --cluster.peer=alone-2.alone:9094/,
      ],
      'StatefulSet/off': [/--cluster.listen-address="" \(clustering off\): each replica runs alone/],
    },
  },
  {
    name: 'fails: peers naming no Service, a ClusterIP Service without the cluster port, pod names under a ClusterIP Service, a wrong port (A@v0.32.3 cluster/cluster.go:744-748 keeps an unresolved name and the join fails)',
    yaml: yamlOf(
      ...alertmanager('typo', {
        args: ['--config.file=/etc/alertmanager/alertmanager.yaml', '--cluster.peer=typo-0.alertmanager-operated:9094'],
      }),
      ...alertmanager('noclusterport', {
        service: 'clusterip',
        servicePorts: [{ name: 'web', port: 9093, targetPort: 'web' }],
        args: ['--config.file=/etc/alertmanager/alertmanager.yaml', '--cluster.peer=noclusterport:9094'],
      }),
      ...alertmanager('podvip', {
        service: 'clusterip',
        args: ['--config.file=/etc/alertmanager/alertmanager.yaml', '--cluster.peer=podvip-0.podvip:9094'],
      }),
      ...alertmanager('webport', { args: ['--config.file=/etc/alertmanager/alertmanager.yaml', '--cluster.peer=webport-0.webport:9093'] }),
    ),
    expect: {
      'StatefulSet/typo': [/--cluster.peer=typo-0.alertmanager-operated:9094 names no Service in the input.*each replica runs alone/],
      'StatefulSet/noclusterport': [/Service noclusterport has no port 9094 leading to the gossip port 9094/],
      'StatefulSet/podvip': [/is a pod name under Service podvip, which is not headless/],
      'StatefulSet/webport': [/dials port 9093, and the Alertmanagers behind webport gossip on 9094.*write port 9094/],
    },
  },
  {
    name: 'fails: the config Secret has no key --config.file reads (A@v0.32.3 cmd/alertmanager/main.go:567-568 exits when the first load fails)',
    yaml: yamlOf(...alertmanager('key', { key: 'alertmanager.yml' })),
    expect: {
      'StatefulSet/key': [
        /alertmanager exits at start: --config.file=\/etc\/alertmanager\/alertmanager.yaml is key alertmanager.yaml of Secret key-config, which has only alertmanager.yml.*write --config.file=\/etc\/alertmanager\/alertmanager.yml/,
      ],
    },
  },
  {
    name: 'fails: Prometheus v3 with api_version v1 (P@v3.0.1 config/config.go:1011-1024, :1036-1038); a port-name keep that matches no port of the Alertmanager Service or pods',
    yaml: yamlOf(
      ...alertmanager('am'),
      ...prometheus('v1', sd('web', 'endpointslice', 'v1')),
      ...prometheus('portname', sd('http')),
      ...prometheus('podport', sd('http-web', 'pod')),
      // A@v0.27.0 api/api.go:166 registers /api/v1 on the deprecation router, which answers 410 (api/v1_deprecation_router.go:62).
      ...prometheus('v2-to-new', sd('web', 'endpointslice', 'v1'), 'v2.55.1'),
    ),
    expect: {
      'StatefulSet/v1': [/prometheus v3.13 exits at start: alerting.alertmanagers\[0\] has api_version: v1.*write api_version: v2/],
      'StatefulSet/portname': [
        /keeps __meta_kubernetes_endpointslice_port_name matching http, and Service am names its ports web, mesh-tcp: Prometheus discovers no Alertmanager .*write regex: web/,
      ],
      'StatefulSet/v2-to-new': [
        /alerting.alertmanagers\[0\] has api_version: v1, and the Alertmanager of this input \(v0.32.1\) answers API v1 with 410 Gone from v0.27: prometheus v2.55 sends no alert/,
      ],
      'StatefulSet/podport': [
        /keeps __meta_kubernetes_pod_container_port_name matching http-web, and the Alertmanager pods name their ports web, mesh-tcp/,
      ],
    },
  },
]);
