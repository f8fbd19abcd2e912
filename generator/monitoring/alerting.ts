import type { StackConfig } from '../model/stack.js';
import { ALERTMANAGER_NAME, ALERTMANAGER_READY_SERVICE, PROMETHEUS_REPLICA_LABEL } from '../../core/names.js';
import { serviceHost } from '../lib/objects.js';
import { PORTS } from '../../core/ports.js';
import { exactly, type AlertingConfig, type AlertmanagerConfig } from '../lib/prometheus-config.js';

/** One external Alertmanager replica as Prometheus and Thanos address it. */
interface Endpoint {
  readonly scheme: 'http' | 'https';
  readonly hostPort: string;
  readonly pathPrefix?: string;
}

function endpoint(url: string): Endpoint {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/+$/, '');
  return {
    scheme: parsed.protocol === 'https:' ? 'https' : 'http',
    hostPort: `${parsed.hostname}:${parsed.port}`,
    ...(path ? { pathPrefix: path } : {}),
  };
}

/** External replicas grouped by scheme and path prefix: one alertmanagers entry each. */
function externalGroups(stack: StackConfig): Array<Endpoint & { readonly hostPorts: string[] }> {
  const groups = new Map<string, Endpoint & { hostPorts: string[] }>();
  for (const url of stack.alertmanager.externalUrls) {
    const e = endpoint(url);
    const key = `${e.scheme} ${e.pathPrefix ?? ''}`;
    const group = groups.get(key) ?? { ...e, hostPorts: [] };
    group.hostPorts.push(e.hostPort);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The port every Alertmanager replica listens on, for NetworkPolicy egress. */
export function alertmanagerPorts(stack: StackConfig): number[] {
  if (stack.alertmanager.enabled) return [PORTS.alertmanagerWeb.port];
  return [...new Set(stack.alertmanager.externalUrls.map((url) => Number(new URL(url).port)))].sort((a, b) => a - b);
}

/**
 * Where each Prometheus sends its alerts: every replica of the stack's Alertmanager, found through
 * the endpoint slices of its headless Service (never one ClusterIP, which would reach one replica
 * per alert and lose it when that replica is down), or every listed replica of an external one.
 *
 * Prometheus attaches its external labels to every alert, so the two replicas' copies of one alert
 * differ only by the replica label: dropping it lets Alertmanager see one alert, not two (the Ruler
 * does the same with --alert.label-drop).
 */
export function prometheusAlerting(stack: StackConfig): AlertingConfig {
  const alertmanagers: AlertmanagerConfig[] = stack.alertmanager.enabled
    ? [
        {
          api_version: 'v2',
          kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { own_namespace: true } }],
          relabel_configs: [
            { source_labels: ['__meta_kubernetes_service_name'], regex: exactly(ALERTMANAGER_NAME), action: 'keep' },
            { source_labels: ['__meta_kubernetes_endpointslice_port_name'], regex: exactly(PORTS.alertmanagerWeb.name), action: 'keep' },
            // The headless Service publishes not-ready addresses (gossip peers must find each other
            // before they are ready); alerts go to ready replicas only. Prometheus sets this label from
            // the endpoint's ready condition (prometheus v3.13.2 discovery/kubernetes/endpointslice.go:296, :362).
            { source_labels: ['__meta_kubernetes_endpointslice_endpoint_conditions_ready'], regex: 'true', action: 'keep' },
          ],
        },
      ]
    : externalGroups(stack).map((group) => ({
        api_version: 'v2' as const,
        scheme: group.scheme,
        ...(group.pathPrefix ? { path_prefix: group.pathPrefix } : {}),
        static_configs: [{ targets: group.hostPorts }],
      }));
  return { alert_relabel_configs: [{ action: 'labeldrop', regex: PROMETHEUS_REPLICA_LABEL }], alertmanagers };
}

/**
 * The Ruler's --alertmanagers.config: API v2 said explicitly (the --alertmanagers.url flag implies
 * v1, which Alertmanager no longer serves), every ready replica through the SRV record of the web
 * port of the ready-only headless Service (the gossip Service also lists pods that are not ready,
 * and the Ruler has no relabelling to leave them out), or the listed external replicas.
 */
export function rulerAlertmanagersConfig(stack: StackConfig): Record<string, unknown> {
  const alertmanagers = stack.alertmanager.enabled
    ? [
        {
          api_version: 'v2',
          scheme: 'http',
          static_configs: [`dnssrv+_${PORTS.alertmanagerWeb.name}._tcp.${serviceHost(stack, ALERTMANAGER_READY_SERVICE)}`],
        },
      ]
    : externalGroups(stack).map((group) => ({
        api_version: 'v2',
        scheme: group.scheme,
        ...(group.pathPrefix ? { path_prefix: group.pathPrefix } : {}),
        static_configs: group.hostPorts,
      }));
  return { alertmanagers };
}
