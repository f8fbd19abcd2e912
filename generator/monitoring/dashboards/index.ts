import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { StackConfig } from '../../model/stack.js';
import { PART_OF } from '../../../core/labels.js';
import { alertingDashboard } from './ruler-alertmanager.js';
import { cacheDashboard } from './cache.js';
import { compactDashboard } from './compact.js';
import { overviewDashboard } from './overview.js';
import { buildDashboard, type DashboardSpec } from './panels.js';
import { queryDashboard } from './query.js';
import { receiveDashboard } from './receive.js';
import { storeDashboard } from './store.js';

export type { DashboardSpec } from './panels.js';

/** Label the Grafana Helm chart's sidecar watches for dashboard ConfigMaps (beside grafana_datasource). */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';

/** The dashboards for the components this stack runs. */
export function dashboardSpecs(stack: StackConfig): DashboardSpec[] {
  return [
    overviewDashboard(),
    ...(stack.query.enabled ? [queryDashboard(stack.queryFrontend.enabled)] : []),
    ...(stack.store.enabled ? [storeDashboard()] : []),
    ...(stack.compact.enabled ? [compactDashboard()] : []),
    ...(stack.receive.enabled ? [receiveDashboard(stack.receive.routers > 0)] : []),
    ...(stack.cache.backend !== 'in-memory' && (stack.store.enabled || stack.queryFrontend.enabled) ? [cacheDashboard(stack)] : []),
    alertingDashboard(stack.ruler.enabled, stack.alertmanager.enabled),
  ];
}

export function dashboards(stack: StackConfig): Dashboard[] {
  return dashboardSpecs(stack).map(buildDashboard);
}

/**
 * One ConfigMap per dashboard, labelled for the Grafana sidecar. The JSON is indented so a change
 * to a panel reads as a small diff.
 */
export function dashboardConfigMaps(stack: StackConfig): ConfigMap[] {
  return dashboards(stack).map(
    (dashboard) =>
      new ConfigMap({
        metadata: { name: `${dashboard.uid}-dashboard`, labels: { [GRAFANA_DASHBOARD_LABEL]: '1', 'app.kubernetes.io/part-of': PART_OF } },
        data: { [`${dashboard.uid}.json`]: `${JSON.stringify(dashboard, null, 1)}\n` },
      }),
  );
}
