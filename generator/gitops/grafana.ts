import type { StackConfig } from '../model/stack.js';
import { QUERY_FRONTEND_NAME, QUERY_NAME } from '../../core/names.js';
import { serviceHostIn } from '../lib/objects.js';
import { PORTS } from '../../core/ports.js';
import { stringify } from '../../core/yaml.js';
import type { KubeObject } from '../build-stack.js';
import { PART_OF } from '../../core/labels.js';

/** Label the Grafana Helm chart's sidecar watches for datasource provisioning ConfigMaps. */
export const GRAFANA_DATASOURCE_LABEL = 'grafana_datasource';

/** The URL dashboards query: the frontend (cached, split) when it runs, else Query itself. */
export function grafanaQueryUrl(stack: StackConfig, namespace: string): string {
  const service = stack.queryFrontend.enabled ? QUERY_FRONTEND_NAME : QUERY_NAME;
  return `http://${serviceHostIn(stack, service, namespace)}:${PORTS.queryHttp.port}`;
}

/**
 * A Grafana datasource provisioning ConfigMap for one overlay, in the overlay's namespace. The
 * Grafana sidecar (label grafana_datasource: "1") picks it up; or mount its key into
 * /etc/grafana/provisioning/datasources/.
 */
export function grafanaDatasource(overlayName: string, namespace: string, stack: StackConfig): KubeObject {
  const datasources = {
    apiVersion: 1,
    datasources: [
      {
        name: `Thanos (${overlayName})`,
        uid: `thanos-${overlayName}`,
        type: 'prometheus',
        access: 'proxy',
        url: grafanaQueryUrl(stack, namespace),
        isDefault: false,
        jsonData: { prometheusType: 'Thanos', timeInterval: stack.prometheus.scrapeInterval },
      },
    ],
  };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${PART_OF}-grafana-datasource`,
      labels: { [GRAFANA_DATASOURCE_LABEL]: '1', 'app.kubernetes.io/part-of': PART_OF },
    },
    data: { [`thanos-${overlayName}.yaml`]: stringify(datasources) },
  };
}
