import { describe } from 'vitest';
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
    name: 'fails: a bare IPv6 peer exits, an empty port joins nothing (A@v0.32.1 cluster/cluster.go:736-739 net.SplitHostPort)',
    yaml: yamlOf(
      ...alertmanager('ipv6', {
        args: ['--config.file=/etc/alertmanager/alertmanager.yaml', '--cluster.peer=fd00::10:9094', '--cluster.peer=ipv6-1.ipv6:9094'],
      }),
      ...alertmanager('emptyport', {
        args: [
          '--config.file=/etc/alertmanager/alertmanager.yaml',
          '--cluster.peer=emptyport-0.emptyport:',
          '--cluster.peer=emptyport-1.emptyport:9094',
        ],
      }),
    ),
    expect: {
      'StatefulSet/ipv6': [
        /^error: container alertmanager: alertmanager v0.32 exits at start: --cluster.peer=fd00::10:9094 has too many colons .*too many colons in address.*--cluster.peer=\[fd00::10\]:9094$/,
      ],
      'StatefulSet/emptyport': [
        /^error: container alertmanager: --cluster.peer=emptyport-0.emptyport: has an empty port: the join fails and each replica runs alone .*write --cluster.peer=emptyport-0.emptyport:9094$/,
      ],
    },
  },
  {
    name: 'passes: a bracketed IPv6 peer with its port',
    yaml: yamlOf(
      ...alertmanager('ipv6ok', {
        args: [
          '--config.file=/etc/alertmanager/alertmanager.yaml',
          '--cluster.peer=[fd00::10]:9094',
          '--cluster.peer=ipv6ok-1.ipv6ok:9094',
        ],
      }),
    ),
    expect: {},
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

describe('alertmanager-wiring (mutation)', () => {
  const CONFIG_FILE = '--config.file=/etc/alertmanager/alertmanager.yaml';
  const peers = (...hosts: string[]) => ({ args: [CONFIG_FILE, ...hosts.map((h) => `--cluster.peer=${h}`)] });
  const service = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'monitoring' },
    spec,
  });
  /** An Alertmanager container of `version` with `args`, its config from volume `config`. */
  const container = (args: string[], extra: Record<string, unknown> = {}) =>
    goodContainer({
      name: 'alertmanager',
      image: 'quay.io/prometheus/alertmanager:v0.32.1',
      args,
      ports: [
        { name: 'web', containerPort: 9093 },
        { name: 'mesh-tcp', containerPort: 9094 },
      ],
      volumeMounts: [{ name: 'config', mountPath: '/etc/alertmanager' }],
      ...extra,
    });
  /** Prometheus `name` whose alerting.alertmanagers[0] discovers by `role` and keeps by `relabels` (YAML flow list items). */
  const discovering = (name: string, relabels: string[], sdExtra = '{own_namespace: true}', role = 'endpointslice', version = 'v3.13.2') =>
    prometheus(
      name,
      `  alertmanagers:\n    - kubernetes_sd_configs: [{role: ${role}, namespaces: ${sdExtra}}]\n      relabel_configs:\n${relabels.map((r) => `        - ${r}\n`).join('')}`,
      version,
    );
  const keepPort = (regex: string, label = '__meta_kubernetes_endpointslice_port_name', action = 'keep') =>
    `{source_labels: [${label}], regex: '${regex}', action: ${action}}`;

  policyTable(alertmanagerWiring, [
    {
      name: 'passes: peers the rule cannot place (a $(POD_NAMESPACE) to expand, IP addresses, a host outside the cluster) and names that reach the pods (a trailing dot, svc.namespace, pod.svc.namespace)',
      yaml: yamlOf(
        ...alertmanager('envns', peers('envns-0.envns.$(POD_NAMESPACE).svc:9094', 'envns-1.envns.$(POD_NAMESPACE).svc:9094')),
        ...alertmanager('ips', peers('10.0.3.7:9094', '[fd00::10]:9094')),
        ...alertmanager('external', peers('alertmanager.example.com:9094')),
        ...alertmanager('dot', peers('dot-0.dot.monitoring.svc.cluster.local.:9094')),
        ...alertmanager('nsvip', { service: 'clusterip', ...peers('nsvip.monitoring:9094') }),
        ...alertmanager('podns', peers('podns-0.podns.monitoring:9094', 'podns-1.podns.monitoring:9094')),
      ),
      expect: {},
    },
    {
      name: 'passes: a ClusterIP Service whose cluster port leads to 9094 by number, by a numeric string, or by its own port (no targetPort)',
      yaml: yamlOf(
        ...alertmanager('bynumber', {
          service: 'clusterip',
          servicePorts: [{ name: 'mesh', port: 9094, targetPort: 9094 }],
          ...peers('bynumber:9094'),
        }),
        ...alertmanager('bystring', {
          service: 'clusterip',
          servicePorts: [{ name: 'mesh', port: 9094, targetPort: '9094' }],
          ...peers('bystring:9094'),
        }),
        ...alertmanager('byport', {
          service: 'clusterip',
          servicePorts: [{ name: 'mesh', port: 9094 }],
          ...peers('byport:9094'),
        }),
      ),
      expect: {},
    },
    {
      name: 'passes: a Service without a selector (Endpoints kept by hand), one replica with clustering off, a DaemonSet (as many pods as nodes: not judged), a config written by an init container to an emptyDir, a ConfigMap key in binaryData',
      yaml: yamlOf(
        ...alertmanager('manual', { service: false, ...peers('manual-0.manual:9094') }),
        service('manual', { clusterIP: 'None', ports: [{ name: 'mesh-tcp', port: 9094 }] }),
        ...alertmanager('single', { replicas: 1, args: [CONFIG_FILE, '--cluster.listen-address='] }),
        workload({
          kind: 'DaemonSet',
          name: 'node-am',
          volumes: [{ name: 'config', secret: { secretName: 'node-am-config' } }],
          containers: [container([CONFIG_FILE])],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'rendered',
          replicas: 1,
          volumes: [{ name: 'config', emptyDir: {} }],
          containers: [container([CONFIG_FILE])],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'binary',
          replicas: 1,
          volumes: [{ name: 'config', configMap: { name: 'binary-config' } }],
          containers: [container([CONFIG_FILE])],
        }),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'binary-config', namespace: 'monitoring' },
          binaryData: { 'alertmanager.yaml': 'cm91dGU6IHt9Cg==' },
        },
      ),
      expect: {},
    },
    {
      name: 'passes: peers naming a Service while the input holds no Service at all (rendered elsewhere: not judged)',
      yaml: yamlOf(...alertmanager('bare', { service: false })),
      expect: {},
    },
    {
      name: 'fails: --cluster.listen-address "" as two arguments turns clustering off too (A@v0.32.1 cmd/alertmanager/main.go:161-162)',
      yaml: yamlOf(...alertmanager('off', { args: [CONFIG_FILE, '--cluster.listen-address', ''] })),
      expect: {
        'StatefulSet/off': [
          /^error: container alertmanager: alertmanager runs 2 replicas with --cluster.listen-address="" \(clustering off\): each replica runs alone and sends every notification itself \(2 copies of each\); remove --cluster.listen-address="" and add --cluster.peer=off-0.off:9094 --cluster.peer=off-1.off:9094$/,
        ],
      },
    },
    {
      name: 'fails: peers that resolve to no Service: a bare name, svc.namespace and pod.svc.namespace of a missing Service; the same peer twice is said once; one replica gets one copy per replica',
      yaml: yamlOf(
        ...alertmanager('bare', peers('alertmanager:9094', 'alertmanager:9094')),
        ...alertmanager('twolabels', peers('alertmanager.monitoring:9094')),
        ...alertmanager('threelabels', peers('threelabels-0.alertmanager-operated.monitoring:9094')),
        ...alertmanager('one', { replicas: 1, ...peers('alertmanager-0.alertmanager:9094') }),
      ),
      expect: {
        'StatefulSet/bare': [
          /^error: container alertmanager: --cluster.peer=alertmanager:9094 names no Service in the input, so the name does not resolve and the join fails: each replica runs alone and sends every notification itself \(2 copies of each\); point it at the replicas' headless Service \(--cluster.peer=bare-0.bare:9094 --cluster.peer=bare-1.bare:9094\)$/,
        ],
        'StatefulSet/twolabels': [/--cluster.peer=alertmanager.monitoring:9094 names no Service in the input/],
        'StatefulSet/threelabels': [/--cluster.peer=threelabels-0.alertmanager-operated.monitoring:9094 names no Service in the input/],
        'StatefulSet/one': [
          /names no Service in the input.*\(one copy per replica\); .*\(--cluster.peer=one-0.one:9094 --cluster.peer=one-1.one:9094\)$/,
        ],
      },
    },
    {
      name: 'fails: a headless Service whose selector matches no Alertmanager pod (a label typo); a ClusterIP cluster port that leads to the web port',
      yaml: yamlOf(
        ...alertmanager('typo', { service: false, ...peers('typo-0.typo:9094', 'typo-1.typo:9094') }),
        service('typo', { clusterIP: 'None', selector: { app: 'alertmanger' }, ports: [{ name: 'mesh-tcp', port: 9094 }] }),
        ...alertmanager('toweb', {
          service: 'clusterip',
          servicePorts: [{ name: 'mesh', port: 9094, targetPort: 'web' }],
          ...peers('toweb:9094'),
        }),
      ),
      expect: {
        'StatefulSet/typo': [
          /^error: container alertmanager: --cluster.peer=typo-0.typo:9094: Service typo selects no Alertmanager pod, so the join fails: each replica runs alone .*; point it at the Alertmanager replicas' headless Service$/,
          /--cluster.peer=typo-1.typo:9094: Service typo selects no Alertmanager pod/,
        ],
        'StatefulSet/toweb': [
          /^error: container alertmanager: --cluster.peer=toweb:9094: Service toweb has no port 9094 leading to the gossip port 9094, so the join fails and each replica runs alone .*; add the cluster port to the Service, or name the headless Service's pods$/,
        ],
      },
    },
    {
      name: 'fails: replicas and no peers name the headless Service that selects them (a Deployment has no serviceName), or a placeholder; a moved cluster port is the one to dial',
      yaml: yamlOf(
        workload({ name: 'dep', replicas: 2, volumes: [{ name: 'config', emptyDir: {} }], containers: [container([CONFIG_FILE])] }),
        service('dep-peers', { clusterIP: 'None', selector: { app: 'dep' }, ports: [{ name: 'mesh-tcp', port: 9094 }] }),
        workload({ name: 'lonely', replicas: 2, volumes: [{ name: 'config', emptyDir: {} }], containers: [container([CONFIG_FILE])] }),
        service('lonely-web', { selector: { app: 'lonely' }, ports: [{ name: 'web', port: 9093 }] }),
        ...alertmanager('moved', { args: [CONFIG_FILE, '--cluster.listen-address', '0.0.0.0:9800'] }),
      ),
      expect: {
        'Deployment/dep': [/and no --cluster.peer: .*; add --cluster.peer=dep-0.dep-peers:9094 --cluster.peer=dep-1.dep-peers:9094$/],
        'Deployment/lonely': [/; add --cluster.peer=lonely-0.<headless service>:9094 --cluster.peer=lonely-1.<headless service>:9094$/],
        'StatefulSet/moved': [/; add --cluster.peer=moved-0.moved:9800 --cluster.peer=moved-1.moved:9800$/],
      },
    },
    {
      name: "fails: the config key is missing from a ConfigMap, from the Prometheus Operator's gzipped Secret (no YAML key to suggest), from a Secret with two YAML keys, and from an empty Secret",
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'cm',
          replicas: 1,
          volumes: [{ name: 'config', configMap: { name: 'cm-config' } }],
          containers: [container([CONFIG_FILE])],
        }),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'cm-config', namespace: 'monitoring' },
          data: { 'config.yml': 'route: {}\n' },
        },
        ...alertmanager('gz', { replicas: 1, key: 'alertmanager.yaml.gz', args: [CONFIG_FILE] }),
        workload({
          kind: 'StatefulSet',
          name: 'two',
          replicas: 1,
          volumes: [{ name: 'config', secret: { secretName: 'two-config' } }],
          containers: [container([CONFIG_FILE])],
        }),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'two-config', namespace: 'monitoring' },
          stringData: { 'am.yml': 'a', 'templates.yml': 'b' },
        },
        workload({
          kind: 'StatefulSet',
          name: 'empty',
          replicas: 1,
          volumes: [{ name: 'config', secret: { secretName: 'empty-config' } }],
          containers: [container([CONFIG_FILE])],
        }),
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'empty-config', namespace: 'monitoring' }, data: {} },
      ),
      expect: {
        'StatefulSet/cm': [
          /^error: container alertmanager: alertmanager exits at start: --config.file=\/etc\/alertmanager\/alertmanager.yaml is key alertmanager.yaml of ConfigMap cm-config, which has only config.yml, so the file does not exist \("Loading configuration file failed"\); write --config.file=\/etc\/alertmanager\/config.yml, or name the key alertmanager.yaml$/,
        ],
        'StatefulSet/gz': [
          /of Secret gz-config, which has only alertmanager.yaml.gz, so the file does not exist .*; name the key alertmanager.yaml$/,
        ],
        'StatefulSet/two': [/of Secret two-config, which has only am.yml, templates.yml, .*; name the key alertmanager.yaml$/],
        'StatefulSet/empty': [/of Secret empty-config, which has no keys, so the file does not exist/],
      },
    },
    {
      name: 'fails: Prometheus v2.55 with api_version v1 and an Alertmanager v0.27.0, the first release that answers API v1 with 410 Gone (A@v0.27.0 api/api.go:166)',
      yaml: yamlOf(...alertmanager('am', { version: 'v0.27.0' }), ...prometheus('v1-at-27', sd('web', 'endpoints', 'v1'), 'v2.55.1')),
      expect: {
        'StatefulSet/v1-at-27': [
          /Alertmanager of this input \(v0.27.0\) answers API v1 with 410 Gone from v0.27: prometheus v2.55 sends no alert/,
        ],
      },
    },
    {
      name: 'passes: keeps that do not judge the port (no regex keeps all, P@v3.13.2 model/relabel/relabel.go:38; two source labels; an RE2 (?i) flag; action drop), a namespace list without the Alertmanagers, role node',
      yaml: yamlOf(
        ...alertmanager('am'),
        ...discovering('all', ['{source_labels: [__meta_kubernetes_endpointslice_port_name], action: keep}']),
        ...discovering('joined', [
          "{source_labels: [__meta_kubernetes_service_name, __meta_kubernetes_endpointslice_port_name], regex: 'am;http', action: keep}",
        ]),
        ...discovering('re2', [keepPort('(?i)WEB')]),
        ...discovering('dropped', [keepPort('http', undefined, 'drop')]),
        ...discovering('elsewhere', [keepPort('http')], '{names: [alerting]}'),
        ...discovering('node', [keepPort('http', '__meta_kubernetes_node_name')], '{own_namespace: true}', 'node'),
      ),
      expect: {},
    },
    {
      // Relabel actions are read case-insensitively (P@v3.13.2 model/relabel/relabel.go:77).
      name: 'fails: a port keep that matches no port: action Keep, a namespace list that holds the Alertmanagers, every namespace, two keeps that no one port meets',
      yaml: yamlOf(
        ...alertmanager('am'),
        ...discovering('capital', [keepPort('http', undefined, 'Keep')]),
        ...discovering('listed', [keepPort('http')], '{names: [monitoring]}'),
        ...discovering('everywhere', [keepPort('http', '__meta_kubernetes_endpoint_port_name')], '{}', 'endpoints'),
        ...discovering('both', [keepPort('web'), keepPort('mesh-tcp')]),
      ),
      expect: {
        'StatefulSet/capital': [
          /^error: alerting.alertmanagers\[0\] keeps __meta_kubernetes_endpointslice_port_name matching http, and Service am names its ports web, mesh-tcp: Prometheus discovers no Alertmanager and drops every alert; write regex: web$/,
        ],
        'StatefulSet/listed': [/matching http, and Service am names its ports web, mesh-tcp/],
        'StatefulSet/everywhere': [
          /keeps __meta_kubernetes_endpoint_port_name matching http, and Service am names its ports web, mesh-tcp/,
        ],
        'StatefulSet/both': [
          /keeps __meta_kubernetes_endpointslice_port_name matching web and mesh-tcp, and Service am names its ports web, mesh-tcp/,
        ],
      },
    },
    {
      name: "fails: unnamed Service ports (nothing to keep by name), ports without a web or http name (the first is suggested), a pod whose only matching port is a sidecar's",
      yaml: yamlOf(
        ...alertmanager('unnamed', { servicePorts: [{ port: 9093, targetPort: 9093 }] }),
        ...discovering('p-unnamed', ['{source_labels: [__meta_kubernetes_service_name], regex: unnamed, action: keep}', keepPort('web')]),
        ...alertmanager('odd', {
          servicePorts: [
            { name: 'api', port: 9093 },
            { name: 'gossip', port: 9094 },
          ],
        }),
        ...discovering('p-odd', ['{source_labels: [__meta_kubernetes_service_name], regex: odd, action: keep}', keepPort('web')]),
      ),
      expect: {
        'StatefulSet/p-unnamed': [
          /Service unnamed names its ports \(none: unnamed ports\): Prometheus discovers no Alertmanager and drops every alert; name the web port and keep that name$/,
        ],
        'StatefulSet/p-odd': [/Service odd names its ports api, gossip: .*; write regex: api$/],
      },
    },
    {
      name: "fails: role pod sees each Alertmanager container port; a config reloader's port is no Alertmanager",
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'am',
          replicas: 1,
          volumes: [{ name: 'config', emptyDir: {} }],
          containers: [
            container([CONFIG_FILE]),
            goodContainer({
              name: 'reloader',
              image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.80.0',
              ports: [{ name: 'reloader-web', containerPort: 8080 }],
            }),
          ],
        }),
        ...discovering('p-pod', [keepPort('reloader-web', '__meta_kubernetes_pod_container_port_name')], '{own_namespace: true}', 'pod'),
      ),
      expect: {
        'StatefulSet/p-pod': [
          /keeps __meta_kubernetes_pod_container_port_name matching reloader-web, and the Alertmanager pods name their ports web, mesh-tcp: .*write regex: web$/,
        ],
      },
    },
    {
      name: 'passes: no --config.file (the default, alertmanager.yml, is relative to the working directory), a config Secret or ConfigMap that is not in the input (made out of band)',
      yaml: yamlOf(
        ...alertmanager('default', { replicas: 1, args: [] }),
        alertmanager('nosecret', { replicas: 1, service: false, args: [CONFIG_FILE] })[0],
        workload({
          kind: 'StatefulSet',
          name: 'nocm',
          replicas: 1,
          volumes: [{ name: 'config', configMap: { name: 'nocm-config' } }],
          containers: [container([CONFIG_FILE])],
        }),
      ),
      expect: {},
    },
    {
      name: "fails: peers at the Prometheus pair's headless Service, which selects no Alertmanager",
      yaml: yamlOf(
        ...alertmanager('am', {
          service: false,
          ...peers('prometheus-0.prometheus-operated:9094', 'prometheus-1.prometheus-operated:9094'),
        }),
        service('am', { clusterIP: 'None', selector: { app: 'am' }, ports: [{ name: 'mesh-tcp', port: 9094 }] }),
        ...prometheusWithConfig('prometheus', 'global: {}\n'),
        service('prometheus-operated', { clusterIP: 'None', selector: { app: 'prometheus' }, ports: [{ name: 'web', port: 9090 }] }),
      ),
      expect: {
        'StatefulSet/am': [
          /--cluster.peer=prometheus-0.prometheus-operated:9094: Service prometheus-operated selects no Alertmanager pod/,
          /--cluster.peer=prometheus-1.prometheus-operated:9094: Service prometheus-operated selects no Alertmanager pod/,
        ],
      },
    },
    {
      name: "fails: role service keeps __meta_kubernetes_service_port_name (P@v3.13.2 discovery/kubernetes/service.go:192); a Prometheus Service's http port is no Alertmanager's; a replace relabel is no keep",
      yaml: yamlOf(
        ...alertmanager('am'),
        service('prom', { selector: { app: 'prom' }, ports: [{ name: 'http', port: 9090 }] }),
        ...discovering(
          'prom',
          [
            '{source_labels: [__meta_kubernetes_service_port_name], target_label: port}',
            keepPort('http', '__meta_kubernetes_service_port_name'),
          ],
          '{own_namespace: true}',
          'service',
        ),
      ),
      expect: {
        'StatefulSet/prom': [
          /^error: alerting.alertmanagers\[0\] keeps __meta_kubernetes_service_port_name matching http, and Service am names its ports web, mesh-tcp: Prometheus discovers no Alertmanager and drops every alert; write regex: web$/,
        ],
      },
    },
  ]);
});

describe('alertmanager-wiring static Alertmanager targets', () => {
  const statics = (...targets: string[]) => `  alertmanagers:\n    - static_configs: [{targets: [${targets.join(', ')}]}]\n`;
  const clusterIp = (name: string, ports: unknown[]) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'monitoring' },
    spec: { selector: { app: 'am' }, ports },
  });
  policyTable(alertmanagerWiring, [
    {
      // The notifier POSTs alerts over HTTP to each target (prometheus notifier/manager.go sendAll); Alertmanager
      // serves HTTP on --web.listen-address (:9093) and gossips memberlist on --cluster.listen-address (:9094).
      name: 'fails: static targets at the gossip port (headless pod name, ClusterIP port leading to mesh-tcp), at a port the Service lacks, at 9093 when the API listens on :8080',
      yaml: yamlOf(
        ...alertmanager('am'),
        clusterIp('am-all', [
          { name: 'web', port: 9093, targetPort: 'web' },
          { name: 'mesh-tcp', port: 9094, targetPort: 'mesh-tcp' },
        ]),
        clusterIp('am-web', [{ name: 'http', port: 80, targetPort: 'web' }]),
        ...alertmanager('custom', {
          args: [
            '--config.file=/etc/alertmanager/alertmanager.yaml',
            '--web.listen-address=:8080',
            '--cluster.peer=custom-0.custom:9094',
            '--cluster.peer=custom-1.custom:9094',
          ],
        }),
        ...prometheus('gossip', statics('am-0.am.monitoring.svc:9094', 'am-all:9094')),
        ...prometheus('noport', statics('am-web.monitoring.svc.cluster.local:9093')),
        ...prometheus('custom-port', statics('custom-0.custom:9093')),
      ),
      expect: {
        'StatefulSet/gossip': [
          /^error: alerting.alertmanagers\[0\] sends alerts to am-0.am.monitoring.svc:9094, which reaches port 9094 of the Alertmanagers behind am, their gossip port \(--cluster.listen-address\), not HTTP; they serve the API on 9093 \(--web.listen-address\): every send fails and Prometheus drops the alerts; write am-0.am.monitoring.svc:9093$/,
          /sends alerts to am-all:9094, which reaches port 9094 of the Alertmanagers behind am-all, their gossip port.*write am-all:9093$/,
        ],
        'StatefulSet/noport': [
          /sends alerts to am-web.monitoring.svc.cluster.local:9093, and Service am-web has no port 9093: every send fails.*write am-web.monitoring.svc.cluster.local:80$/,
        ],
        'StatefulSet/custom-port': [
          /sends alerts to custom-0.custom:9093, which reaches port 9093 of the Alertmanagers behind custom; they serve the API on 8080.*write custom-0.custom:8080$/,
        ],
      },
    },
    {
      name: 'passes: static targets at the API port (pod names, a ClusterIP Service port 80 leading to web), and targets the input cannot place (an IP, a host outside, a Service not in the input)',
      yaml: yamlOf(
        ...alertmanager('am'),
        clusterIp('am-web', [{ name: 'http', port: 80, targetPort: 'web' }]),
        ...prometheus(
          'ok',
          statics(
            'am-0.am:9093',
            'am-1.am.monitoring.svc:9093',
            'am-web:80',
            '10.0.0.7:9094',
            'alertmanager.example.com:9094',
            'other.monitoring.svc:9094',
          ),
        ),
      ),
      expect: {},
    },
  ]);
});

describe('alertmanager-wiring static targets (mutation)', () => {
  const statics = (targets: string[], scheme?: string) =>
    `  alertmanagers:\n    - ${scheme ? `scheme: ${scheme}\n      ` : ''}static_configs: [{targets: [${targets.join(', ')}]}]\n`;
  const service = (name: string, ports: unknown[], headless = false) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'monitoring' },
    spec: { ...(headless ? { clusterIP: 'None' } : {}), selector: { app: 'am' }, ports },
  });
  policyTable(alertmanagerWiring, [
    {
      // P@v3.13.2 notifier/alertmanager.go:48-84 keeps __address__ as written; the URL without a port dials the
      // scheme's (http 80, https 443).
      name: 'fails: a target without a port dials 80 (https: 443), which the Service lacks; the fix names the port that leads to the API, not the first',
      yaml: yamlOf(
        ...alertmanager('am'),
        service('am-mesh-first', [
          { name: 'mesh-tcp', port: 9094, targetPort: 'mesh-tcp' },
          { name: 'web', port: 9093, targetPort: 'web' },
        ]),
        ...prometheus('noport', statics(['am-mesh-first'])),
        ...prometheus('tls', statics(['am-mesh-first.monitoring.svc'], 'https')),
        ...prometheus('wrong', statics(['am-mesh-first:9095'])),
      ),
      expect: {
        'StatefulSet/noport': [
          /^error: alerting.alertmanagers\[0\] sends alerts to am-mesh-first \(no port: http dials 80\), and Service am-mesh-first has no port 80: every send fails and Prometheus drops the alerts; write am-mesh-first:9093$/,
        ],
        'StatefulSet/tls': [
          /sends alerts to am-mesh-first.monitoring.svc \(no port: https dials 443\), and Service am-mesh-first has no port 443.*write am-mesh-first.monitoring.svc:9093$/,
        ],
        'StatefulSet/wrong': [/sends alerts to am-mesh-first:9095, and Service am-mesh-first has no port 9095.*write am-mesh-first:9093$/],
      },
    },
    {
      name: 'passes: a target without a port on a Service port 80 that leads to the API',
      yaml: yamlOf(
        ...alertmanager('am'),
        service('am-80', [{ name: 'http', port: 80, targetPort: 'web' }]),
        ...prometheus('ok', statics(['am-80'])),
      ),
      expect: {},
    },
    {
      // A headless Service's name resolves to the pods: the port is the pod's, whatever the Service lists.
      name: 'headless Service names dial the pods: the API port passes though the Service lists none, the gossip port fails naming the API port',
      yaml: yamlOf(
        ...alertmanager('am'),
        service('am-peers', [{ name: 'mesh-tcp', port: 9094, targetPort: 'mesh-tcp' }], true),
        ...prometheus('ok', statics(['am-peers:9093'])),
        ...prometheus('gossip', statics(['am-peers.monitoring.svc:9094'])),
      ),
      expect: {
        'StatefulSet/gossip': [
          /^error: alerting.alertmanagers\[0\] sends alerts to am-peers.monitoring.svc:9094, which reaches port 9094 of the Alertmanagers behind am-peers, their gossip port \(--cluster.listen-address\), not HTTP; they serve the API on 9093 \(--web.listen-address\).*write am-peers.monitoring.svc:9093$/,
        ],
      },
    },
    {
      name: 'passes: a ClusterIP port whose named targetPort no container declares is not judged; an Alertmanager on --web.listen-address=:8080 reached there passes',
      yaml: yamlOf(
        ...alertmanager('am'),
        service('am-unknown', [{ name: 'web', port: 9093, targetPort: 'api' }]),
        ...prometheus('unknown', statics(['am-unknown:9093'])),
        ...alertmanager('custom', {
          args: [
            '--config.file=/etc/alertmanager/alertmanager.yaml',
            '--web.listen-address=:8080',
            '--cluster.peer=custom-0.custom:9094',
            '--cluster.peer=custom-1.custom:9094',
          ],
        }),
        ...prometheus('custom', statics(['custom-0.custom:8080'])),
      ),
      expect: {},
    },
  ]);
});
