import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { promtool } from './promtool.js';

/** A Prometheus with a sidecar rendering its config from a template in a ConfigMap (the real promtool checks it). */
const prometheus = (name: string, image: string, template: string, options: { namespace?: string | null; args?: string[] } = {}) => [
  workload({
    kind: 'StatefulSet',
    name,
    namespace: options.namespace,
    volumes: [{ name: 'cfg', configMap: { name: `${name}-cfg` } }],
    containers: [
      goodContainer({ name: 'prometheus', image, args: ['--config.file=/etc/out/prometheus.yaml', ...(options.args ?? [])] }),
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
    metadata: { name: `${name}-cfg`, ...(options.namespace === null ? {} : { namespace: options.namespace ?? 'monitoring' }) },
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
      'StatefulSet/bad': [/error: promtool \S+ rejects \/etc\/prom\/prometheus.yaml.tmpl: .*not a valid duration string: "often"$/],
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

describe('promtool (mutation)', () => {
  // The promtool on PATH in CI and here is Debian's 2.42.0: older than Prometheus v2.49, where scrape_protocols came.
  const protocols = `${good}  scrape_protocols: [PrometheusProto]\n`;
  const job = (name: string) => `- job_name: ${name}\n  static_configs: [{targets: ['app:8080']}]\n`;
  policyTable(promtool, [
    {
      name: 'passes: a config without global or external labels, an empty config (Prometheus takes it), a manifest without namespace, a workload that is no Prometheus',
      yaml: yamlOf(
        ...prometheus('minimal', 'quay.io/prometheus/prometheus:v3.13.2', `scrape_configs:\n${job('app')}`),
        ...prometheus('empty', 'quay.io/prometheus/prometheus:v3.13.2', ''),
        ...prometheus('no-namespace', 'quay.io/prometheus/prometheus:v3.13.2', good, { namespace: null }),
        workload({ name: 'query', containers: [goodContainer({ args: ['query', '--endpoint=dnssrv+_grpc._tcp.store'] })] }),
      ),
      expect: {},
    },
    {
      // promtool check config --agent (P@v2.42.0 cmd/promtool/main.go: checkConfig agentMode; config/config.go:
      // "field rule_files is not allowed in agent mode"); --agent is Prometheus v3's agent flag.
      name: 'fails: rule_files in the config of a Prometheus started with --agent; the same config on a server passes',
      yaml: yamlOf(
        ...prometheus('agent', 'quay.io/prometheus/prometheus:v3.13.2', `${good}rule_files: [/etc/rules/*.yaml]\n`, { args: ['--agent'] }),
        ...prometheus('server', 'quay.io/prometheus/prometheus:v3.13.2', `${good}rule_files: [/etc/rules/*.yaml]\n`),
      ),
      expect: {
        'StatefulSet/agent': [
          /^error: promtool 2\.42\.0 rejects \/etc\/prom\/prometheus.yaml.tmpl: FAILED: field rule_files is not allowed in agent mode$/,
        ],
      },
    },
    {
      name: 'fails: two misspelt fields are both named, each line of the promtool answer joined with "; "',
      yaml: yamlOf(
        ...prometheus('typos', 'quay.io/prometheus/prometheus:v3.13.2', 'global:\n  scrape_intervl: 30s\n  evaluation_intervl: 1m\n'),
      ),
      expect: {
        'StatefulSet/typos': [
          /^error: promtool 2\.42\.0 rejects \/etc\/prom\/prometheus.yaml.tmpl: FAILED: parsing YAML file \S+: yaml: unmarshal errors:; line 2: field scrape_intervl not found in type config.plain; line 3: field evaluation_intervl not found in type config.plain; no Prometheus v3 release has fields scrape_intervl, evaluation_intervl \(misspelt, or at the wrong level\): Prometheus refuses the config$/,
        ],
      },
    },
    {
      name: 'fails: a field newer than promtool is an error on a Prometheus no newer than promtool (v2.42), or whose tag names no version (latest); a warning on v2.55',
      yaml: yamlOf(
        ...prometheus('same', 'quay.io/prometheus/prometheus:v2.42.0', protocols),
        ...prometheus('latest', 'quay.io/prometheus/prometheus:latest', protocols),
        ...prometheus('v2-newer', 'quay.io/prometheus/prometheus:v2.55.1', protocols),
      ),
      expect: {
        'StatefulSet/same': [/^error: promtool 2\.42\.0 rejects .*field scrape_protocols not found in type config.ScrapeConfig$/],
        'StatefulSet/latest': [/^error: promtool 2\.42\.0 rejects .*field scrape_protocols not found in type config.ScrapeConfig$/],
        'StatefulSet/v2-newer': [
          /^warning: .*field scrape_protocols not found .* \(promtool is older than quay.io\/prometheus\/prometheus:v2.55.1, which may know the field\)$/,
        ],
      },
    },
    {
      // Overlays differ in their namespace: promtool checks every overlay's config as one, with the namespace a stand-in.
      name: 'fails: two scrape jobs with one name (P@v2.42.0 config/config.go: "found multiple scrape configs with job name"), named with the namespace as a stand-in',
      yaml: yamlOf(
        ...prometheus('dup', 'quay.io/prometheus/prometheus:v3.13.2', `scrape_configs:\n${job('team-a/pods')}${job('team-a/pods')}`, {
          namespace: 'team-a',
        }),
      ),
      expect: {
        'StatefulSet/dup': [
          /^error: promtool \S+ rejects .*: FAILED: parsing YAML file \S+: found multiple scrape configs with job name "the-namespace\/pods"$/,
        ],
      },
    },
  ]);

  describe('without promtool on PATH', () => {
    const path = process.env.PATH;
    const empty = mkdtempSync(join(tmpdir(), 'no-promtool-'));
    beforeAll(() => {
      process.env.PATH = empty;
    });
    afterAll(() => {
      process.env.PATH = path;
      rmSync(empty, { recursive: true, force: true });
    });
    policyTable(promtool, [
      {
        name: 'passes: a set without a Prometheus gets no note',
        yaml: yamlOf(workload({ name: 'query', containers: [goodContainer({ args: ['query'] })] })),
        expect: {},
      },
      {
        name: 'warns once per set that the configs were not checked, on the first Prometheus; a bad config is not judged',
        yaml: yamlOf(
          ...prometheus('first', 'quay.io/prometheus/prometheus:v3.13.2', good),
          ...prometheus('second', 'quay.io/prometheus/prometheus:v3.13.2', 'global:\n  scrape_interval: often\n'),
        ),
        expect: {
          'StatefulSet/first': [
            /^warning: promtool is not on PATH, so the Prometheus configurations were not checked with it \(apt-get install prometheus, or see prometheus.io\/download\)$/,
          ],
        },
      },
    ]);
  });
});
