import { WORKLOAD_KINDS } from './engine/kinds.js';
import { asArray, asRecord, asString } from './engine/model.js';
import { externalLabelsOf, prometheusConfigOf, yamlIn } from './engine/thanos.js';
import type { Diagnostic, Policy } from './engine/types.js';

/** Whether a labeldrop rule among `configs` removes `label` (Prometheus regexes are anchored). */
function dropped(configs: unknown, label: string): boolean {
  return asArray(configs).some((c) => {
    const rule = asRecord(c);
    if (asString(rule?.action)?.toLowerCase() !== 'labeldrop') return false;
    try {
      return new RegExp(`^(?:${asString(rule?.regex) ?? ''})$`).test(label);
    } catch {
      return false;
    }
  });
}

export const alertReplicaLabel: Policy = {
  id: 'alert-replica-label',
  severity: 'error',
  description:
    'A Prometheus whose external labels differ per replica (the replica label Thanos deduplicates on) and that sends alerts drops that label in `alerting.alert_relabel_configs` (`action: labeldrop`): otherwise every replica\'s copy of an alert is a different alert to Alertmanager, and each fires once per replica. (A prometheus-operator `Prometheus` drops its replica label itself.)',
  remediation: 'Add `alert_relabel_configs: [{action: labeldrop, regex: <replica label>}]` under `alerting` in the Prometheus configuration.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    const config = workload && prometheusConfigOf(index, workload);
    if (!workload || !config) return [];
    const labels = externalLabelsOf(index, workload);
    if (labels.perPod.length === 0) return [];
    const alerting = asRecord(asRecord(yamlIn(index, config.text))?.alerting);
    if (!alerting || asArray(alerting.alertmanagers).length === 0) return [];
    const out: Diagnostic[] = [];
    for (const label of labels.perPod) {
      if (!dropped(alerting.alert_relabel_configs, label)) {
        out.push({ message: `external label ${label} differs per replica and alerting.alert_relabel_configs does not drop it: Alertmanager receives each alert once per replica as different alerts` });
      }
    }
    return out;
  },
};
