import { describe } from 'vitest';
import { goodContainer, POD_ENV, prometheusWithConfig, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { alertReplicaLabel } from './alert-replica-label.js';

const prometheus = (name: string, config: string) => prometheusWithConfig(name, config, { env: POD_ENV });
const labels = 'global:\n  external_labels: {cluster: eu, prometheus_replica: "${POD_NAME}"}\n';
const alerting = 'alerting:\n  alertmanagers: [{static_configs: [{targets: ["alertmanager:9093"]}]}]\n';

policyTable(alertReplicaLabel, [
  {
    name: 'passes: the replica label dropped from alerts; no Alertmanager, nothing to drop',
    yaml: yamlOf(
      ...prometheus('dropped', `${labels}${alerting}  alert_relabel_configs: [{action: labeldrop, regex: prometheus_replica}]\n`),
      ...prometheus('silent', labels),
    ),
    expect: {},
  },
  {
    name: 'fails: alerts sent with the per-replica label',
    yaml: yamlOf(...prometheus('kept', `${labels}${alerting}  alert_relabel_configs: [{action: labeldrop, regex: other}]\n`)),
    expect: {
      'StatefulSet/kept': [/external label prometheus_replica differs per replica and alerting.alert_relabel_configs does not drop it/],
    },
  },
  {
    name: 'passes: dropped by a labelkeep without it, a replace to "", each Alertmanager\'s own alert_relabel_configs, or a case-insensitive (?i) labeldrop',
    yaml: yamlOf(
      ...prometheus(
        'kept-list',
        `${labels}${alerting}  alert_relabel_configs: [{action: labelkeep, regex: 'alertname|severity|cluster'}]\n`,
      ),
      ...prometheus('emptied', `${labels}${alerting}  alert_relabel_configs: [{target_label: prometheus_replica, replacement: ''}]\n`),
      ...prometheus(
        'per-am',
        `${labels}alerting:\n  alertmanagers: [{static_configs: [{targets: ["a:9093"]}], alert_relabel_configs: [{action: labeldrop, regex: prometheus_replica}]}]\n`,
      ),
      ...prometheus('any-case', `${labels}${alerting}  alert_relabel_configs: [{action: labeldrop, regex: '(?i)PROMETHEUS_REPLICA'}]\n`),
    ),
    expect: {},
  },
  {
    name: 'fails: only one of two Alertmanagers drops it, a replace that copies another label in, or a labeldrop regex that matches only part of it (regexes are anchored)',
    yaml: yamlOf(
      ...prometheus(
        'half',
        `${labels}alerting:\n  alertmanagers:\n  - {static_configs: [{targets: ["a:9093"]}], alert_relabel_configs: [{action: labeldrop, regex: prometheus_replica}]}\n  - {static_configs: [{targets: ["b:9093"]}]}\n`,
      ),
      ...prometheus(
        'copied',
        `${labels}${alerting}  alert_relabel_configs: [{source_labels: [cluster], target_label: prometheus_replica}]\n`,
      ),
      ...prometheus('partial', `${labels}${alerting}  alert_relabel_configs: [{action: labeldrop, regex: replica}]\n`),
    ),
    expect: {
      'StatefulSet/half': [/external label prometheus_replica differs per replica/],
      'StatefulSet/copied': [/external label prometheus_replica differs per replica/],
      'StatefulSet/partial': [/external label prometheus_replica differs per replica/],
    },
  },
]);

describe('alert-replica-label (mutation)', () => {
  const sends = (name: string, relabel: string) => prometheus(name, `${labels}${alerting}  alert_relabel_configs: [${relabel}]\n`);
  policyTable(alertReplicaLabel, [
    {
      name: 'passes: an empty Alertmanager list sends nothing; a workload that is no Prometheus has no alerts',
      yaml: yamlOf(
        ...prometheus('no-targets', `${labels}alerting:\n  alertmanagers: []\n`),
        workload({ name: 'query', containers: [goodContainer({ args: ['query'] })] }),
      ),
      expect: {},
    },
    {
      name: 'fails: a regex Prometheus refuses removes nothing; a replace to "" of another label, to a value, or only when a source label is empty',
      yaml: yamlOf(
        ...sends('bad-regex', "{action: labeldrop, regex: '(prometheus_replica'}"),
        ...sends('other-label', "{target_label: cluster, replacement: ''}"),
        ...sends('valued', '{target_label: prometheus_replica, replacement: x}'),
        ...sends('sourced', "{source_labels: [team], target_label: prometheus_replica, replacement: ''}"),
        ...sends('unmatched', "{target_label: prometheus_replica, replacement: '', regex: 'a+'}"),
        ...sends('hashmod', '{action: hashmod, source_labels: [prometheus_replica], target_label: prometheus_replica, modulus: 2}'),
      ),
      expect: Object.fromEntries(
        ['bad-regex', 'other-label', 'valued', 'sourced', 'unmatched', 'hashmod'].map((name) => [
          `StatefulSet/${name}`,
          [
            /^error: external label prometheus_replica differs per replica and alerting\.alert_relabel_configs does not drop it: Alertmanager receives each alert once per replica as different alerts$/,
          ],
        ]),
      ),
    },
  ]);
});
