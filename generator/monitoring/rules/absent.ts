import { componentTargets, JOBS } from '../scrape.js';
import type { AlertRule, RuleContext, RuleGroup } from './types.js';

/** Alert names per job: "thanos-query" -> "ThanosQueryAbsent". */
export function absentAlertName(job: string): string {
  return `${job
    .split('-')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('')}Absent`;
}

/**
 * One alert per component: no target of its job is up. A Prometheus evaluating rules is itself up,
 * so its own job is left to PrometheusReplicaMissing and, for all replicas at once, to the Ruler and
 * the dead-man's switch. memcached is left to MemcachedDown: with every cache gone the Store and the
 * Query Frontend still answer from the bucket, slower, which is a warning and not this page.
 */
export function absentRules({ stack }: RuleContext): RuleGroup {
  const rules: AlertRule[] = componentTargets(stack)
    .filter((target) => target.job !== JOBS.prometheus && target.job !== JOBS.memcached)
    .map((target) => ({
      alert: absentAlertName(target.job),
      expr: `absent(up{job="${target.job}"} == 1)`,
      for: '5m',
      severity: 'critical',
      labels: { job: target.job },
      summary: `No ${target.job} target is up.`,
      description: `Prometheus has scraped no healthy ${target.job} pod for 5 minutes: the component is down, or not scraped. Check kubectl get pods -l app.kubernetes.io/name=${target.appName} and the Targets page.`,
      window: 'fires within 10m of the last pod going away; a rolling update that keeps one pod up stays silent',
      runbook: {
        meaning: `Every ${target.job} pod is down, or none can be scraped: the function it serves in the stack is gone (see README for what each component does).`,
        confirm: [
          `up{job="${target.job}"}`,
          `kubectl -n <namespace> get pods -l app.kubernetes.io/name=${target.appName}`,
          `kubectl -n <namespace> describe statefulset,deployment -l app.kubernetes.io/name=${target.appName}`,
        ],
        fix: [
          'Pods crash-looping: read kubectl logs --previous; OOMKilled means raise the memory limit for the component in the overlay overrides.',
          'Pods pending: node capacity, anti-affinity or volumes; see the pod events.',
          `Pods running but not scraped: the NetworkPolicy of ${target.job} must admit Prometheus on port ${target.port}.`,
        ],
        escalate: 'Page the platform on-call if the component is not back within 15 minutes.',
      },
    }));
  return { name: 'absent', rules };
}
