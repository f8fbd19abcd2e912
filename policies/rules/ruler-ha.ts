import { WORKLOAD_KINDS } from '../lib/kinds.js';
import { perPodLabelFlags } from '../lib/thanos.js';
import type { Diagnostic, Policy } from '../lib/types.js';

export const rulerHa: Policy = {
  id: 'ruler-ha',
  severity: 'error',
  description:
    'A Thanos ruler with more than 1 replica sets a per-pod replica label (`--label=rule_replica="$(POD_NAME)"`), so Query can deduplicate its series, and drops it from alerts (`--alert.label-drop=rule_replica`), so Alertmanager deduplicates its alerts.',
  remediation:
    'Give every ruler replica --label=<replica-label>="$(POD_NAME)" (POD_NAME from the downward API) and --alert.label-drop=<replica-label>.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const workload = index.workloadOf(input);
    if (!workload || workload.replicas <= 1) return [];
    const out: Diagnostic[] = [];
    for (const c of workload.containers) {
      if (c.thanos !== 'rule') continue;
      const perPod = perPodLabelFlags(c);
      if (perPod.length === 0) {
        out.push({
          message: `container ${c.name}: ${workload.replicas} ruler replicas but no --label with a per-pod value (e.g. rule_replica="$(POD_NAME)"); their series and alerts collide`,
        });
        continue;
      }
      const dropped = new Set(c.flags.values('--alert.label-drop'));
      for (const label of perPod) {
        if (!dropped.has(label))
          out.push({
            message: `container ${c.name}: replica label ${label} is not dropped from alerts (--alert.label-drop=${label}); Alertmanager receives one copy per replica`,
          });
      }
    }
    return out;
  },
};
