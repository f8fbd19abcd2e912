import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { asArray, asRecord } from '../lib/model.js';
import { parseRelabelSteps } from '../lib/relabel.js';
import { externalLabelsOf, prometheusConfigOf, yamlIn } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * Whether a rule among `configs` removes `label`: `labeldrop` matching it, `labelkeep` not matching
 * it, or `replace` setting it to "" (an empty label is no label). Each rule is read on its own, as
 * the shard rules read selectors (policies/lib/relabel.ts: Prometheus' anchoring and `(?i)`); a
 * rule Prometheus would refuse removes nothing (promtool reports it).
 */
function dropped(configs: unknown, label: string): boolean {
  return asArray(configs).some((rule) => {
    const step = parseRelabelSteps([rule]).steps?.[0];
    if (!step) return false;
    if (step.action === 'labeldrop') return step.regex.test(label);
    if (step.action === 'labelkeep') return !step.regex.test(label);
    // With no source labels the rule matches "" and writes the replacement.
    if (step.action === 'replace')
      return step.targetLabel === label && step.replacement === '' && step.sourceLabels.length === 0 && step.regex.test('');
    return false;
  });
}

/**
 * The replica label is the external label Thanos deduplicates on; without dropping it, every replica's copy
 * of an alert is a different alert to Alertmanager. A prometheus-operator `Prometheus` drops its replica
 * label itself.
 */
export const alertReplicaLabel: Policy = {
  id: 'alert-replica-label',
  severity: 'error',
  description:
    'A Prometheus that sends alerts and has a per-replica external label drops that label from its alerts (`alert_relabel_configs`); otherwise every alert fires once per replica.',
  remediation:
    'Add `alert_relabel_configs: [{action: labeldrop, regex: <replica label>}]` under `alerting` in the Prometheus configuration (a `labelkeep` without the label, a `replace` to "", or each Alertmanager\'s own `alert_relabel_configs` do as well).',
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
    const alertmanagers = asArray(alerting.alertmanagers);
    for (const label of labels.perPod) {
      // Dropped for all (alerting.alert_relabel_configs) or by each Alertmanager's own alert_relabel_configs (Prometheus v2.51+).
      const everywhere = alertmanagers.every((am) => dropped(asRecord(am)?.alert_relabel_configs, label));
      if (!dropped(alerting.alert_relabel_configs, label) && !everywhere) {
        out.push({
          message: `external label ${label} differs per replica and alerting.alert_relabel_configs does not drop it: Alertmanager receives each alert once per replica as different alerts`,
        });
      }
    }
    return out;
  },
};
