import type { StackConfig } from '../config.js';
import { PROMETHEUS_REPLICA_LABEL } from '../components/names.js';
import { alertmanagerTarget } from '../components/ruler.js';
import type { AlertingConfig } from './prometheus-config.js';

/**
 * Where each Prometheus sends its alerts. Prometheus attaches its external labels to every alert,
 * so the two replicas' copies of one alert differ only by the replica label: dropping it here lets
 * Alertmanager see one alert, not two (the Ruler does the same with --alert.label-drop).
 */
export function prometheusAlerting(stack: StackConfig): AlertingConfig {
  return {
    alert_relabel_configs: [{ action: 'labeldrop', regex: PROMETHEUS_REPLICA_LABEL }],
    alertmanagers: [{ static_configs: [{ targets: [alertmanagerTarget(stack.ruler.alertmanagerUrl)] }] }],
  };
}
