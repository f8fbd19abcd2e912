import { WORKLOAD_KINDS } from './engine/kinds.js';
import { externalLabelsOf, sidecarOf } from './engine/thanos.js';
import type { Policy } from './engine/types.js';

export const externalLabels: Policy = {
  id: 'external-labels',
  severity: 'error',
  description:
    'A Prometheus with a Thanos sidecar has `global.external_labels` (the sidecar refuses to start without them), and with more than 1 replica one of them is distinct per replica (a per-pod value such as `$(POD_NAME)`). The labels are read from the config file the sidecar renders (`--reloader.config-file`) or Prometheus reads (`--config.file`), through the volume mount to its ConfigMap.',
  remediation: 'Set global.external_labels in the Prometheus config, with a per-replica label such as prometheus_replica: $(POD_NAME) expanded by the sidecar reloader.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload || !sidecarOf(workload)) return [];
    const found = externalLabelsOf(index, workload);
    if (!found.labels) return [{ message: `cannot see the Prometheus config to check external labels: ${found.problem}`, severity: 'warning' }];
    if (Object.keys(found.labels).length === 0) return [{ message: `${found.from} has no global.external_labels; the Thanos sidecar refuses to start without them` }];
    if (workload.replicas > 1 && found.perPod.length === 0) {
      return [{ message: `${workload.replicas} replicas share the external labels ${Object.entries(found.labels).map(([k, v]) => `${k}=${v}`).join(', ')}; one label must differ per replica (e.g. prometheus_replica: $(POD_NAME)) or their blocks collide` }];
    }
    return [];
  },
};
