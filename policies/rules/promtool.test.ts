import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { promtool } from './promtool.js';

/** A Prometheus with a sidecar rendering its config from a template in a ConfigMap (the real promtool checks it). */
const prometheus = (name: string, image: string, template: string) => [
  workload({
    kind: 'StatefulSet',
    name,
    volumes: [{ name: 'cfg', configMap: { name: `${name}-cfg` } }],
    containers: [
      goodContainer({ name: 'prometheus', image, args: ['--config.file=/etc/out/prometheus.yaml'] }),
      goodContainer({
        name: 'sidecar',
        env: POD_ENV,
        args: [
          'sidecar',
          '--reloader.config-file=/etc/prom/prometheus.yaml.tmpl',
          '--reloader.config-envsubst-file=/etc/out/prometheus.yaml',
        ],
        volumeMounts: [{ name: 'cfg', mountPath: '/etc/prom' }],
      }),
    ],
  }),
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-cfg`, namespace: 'monitoring' },
    data: { 'prometheus.yaml.tmpl': template },
  },
];
const good =
  'global:\n  scrape_interval: 30s\n  external_labels: {replica: $(POD_NAME)}\nscrape_configs:\n- job_name: pods\n  kubernetes_sd_configs: [{role: pod}]\n';

policyTable(promtool, [
  {
    name: 'passes: a valid config with Kubernetes SD and a $(VAR) the sidecar fills in',
    yaml: yamlOf(...prometheus('ok', 'quay.io/prometheus/prometheus:v2.42.0', good)),
    expect: {},
  },
  {
    name: 'fails: promtool rejects a bad duration; a field newer than promtool is a warning on a newer Prometheus',
    yaml: yamlOf(
      ...prometheus('bad', 'quay.io/prometheus/prometheus:v3.13.2', 'global:\n  scrape_interval: often\n'),
      ...prometheus('newer', 'quay.io/prometheus/prometheus:v3.13.2', `${good}  scrape_protocols: [PrometheusProto]\n`),
    ),
    expect: {
      'StatefulSet/bad': [/error: promtool \S+ rejects \/etc\/prom\/prometheus.yaml.tmpl: .*not a valid duration string: "often"/],
      'StatefulSet/newer': [/warning: promtool \S+ rejects .*field scrape_protocols not found .*promtool is older than/],
    },
  },
  {
    name: 'fails: a misspelt field no Prometheus v3 release has is an error even on a Prometheus newer than promtool',
    yaml: yamlOf(
      ...prometheus('typo', 'quay.io/prometheus/prometheus:v3.13.2', good.replace('scrape_interval: 30s', 'scrape_intervl: 30s')),
    ),
    expect: {
      'StatefulSet/typo': [
        /error: promtool \S+ rejects .*field scrape_intervl not found.*no Prometheus v3 release has a field scrape_intervl/,
      ],
    },
  },
]);
