import { JOBS } from '../scrape.js';
import type { RuleGroup } from './types.js';

/**
 * What only the Ruler can see: it evaluates through Query, outside the Prometheus pair, so it
 * notices when every replica is gone at once (each replica only sees its peers).
 */
export function globalRules(): RuleGroup {
  return {
    name: 'thanos-global',
    rules: [
      {
        alert: 'PrometheusAllReplicasDown',
        expr: `absent(up{job="${JOBS.prometheus}"} == 1)`,
        for: '5m',
        severity: 'critical',
        labels: { job: JOBS.prometheus },
        summary: 'No Prometheus replica is up: nothing is being collected.',
        description:
          'Thanos Query has no recent up{job="prometheus"} == 1 from any replica: every Prometheus is down or unreachable and no metric is collected. Check the prometheus pods now.',
        window: 'fires within 10m of the last replica going away (evaluated by the Ruler through Query)',
        runbook: {
          meaning:
            "Both Prometheus replicas are down (or Query cannot reach any sidecar): no new data, no alerts from Prometheus. Only the Ruler and the dead-man's switch notice.",
          confirm: [
            'up{job="prometheus"}',
            'kubectl -n <namespace> get pods -l app.kubernetes.io/name=prometheus',
            'Query UI, Stores: are the sidecars listed?',
          ],
          fix: [
            'Pods down: read logs --previous and events (OOM, volume, node).',
            'Pods up but absent in Query: the sidecars are unreachable (NetworkPolicy prometheus, ingress from Query on 10901).',
          ],
          escalate: 'Page the platform on-call immediately: monitoring is blind.',
        },
      },
    ],
  };
}
