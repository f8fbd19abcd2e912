import { JOBS } from '../scrape.js';
import { ratio, type RuleContext, type RuleGroup } from './types.js';

/** Thanos components of this stack that talk to object storage. */
function bucketJobs({ stack }: RuleContext): string[] {
  return [
    ...(stack.prometheus.mode === 'server' ? [JOBS.sidecar] : []),
    ...(stack.store.enabled ? [JOBS.store] : []),
    ...(stack.compact.enabled ? [JOBS.compact] : []),
    ...(stack.receive.enabled ? [JOBS.receive] : []),
    ...(stack.ruler.enabled ? [JOBS.rule] : []),
  ];
}

export function bucketRules(ctx: RuleContext): RuleGroup {
  const jobs = `job=~"${bucketJobs(ctx).join('|')}"`;
  return {
    name: 'thanos-bucket',
    rules: [
      {
        alert: 'ThanosBucketOperationsFailing',
        expr: `${ratio(`thanos_objstore_bucket_operation_failures_total{${jobs}}`, `thanos_objstore_bucket_operations_total{${jobs}}`, 'job, namespace, pod')} > 0.05`,
        for: '5m',
        severity: 'warning',
        summary: '{{ $labels.job }} {{ $labels.pod }} fails object storage operations.',
        description:
          'More than 5% of the bucket operations of {{ $labels.job }} in {{ $labels.pod }} fail. Uploads, compaction or queries of old data are affected; check the credentials Secret and the provider.',
        window: 'fires within 15m of operations starting to fail',
        runbook: {
          meaning:
            'Calls to the object store (get, upload, iter, delete) fail. Depending on the component: the sidecar or Receive cannot upload, Store cannot serve old data, Compact halts, the Ruler cannot upload its blocks.',
          confirm: [
            'sum by (job, pod, operation) (rate(thanos_objstore_bucket_operation_failures_total[5m]))',
            'kubectl -n <namespace> logs <pod> | grep -i -E "bucket|objstore|access denied|forbidden"',
            'thanos tools bucket ls --objstore.config-file=<objstore.yml>   # from a pod with the same Secret',
          ],
          fix: [
            'Access denied / forbidden: the objstore Secret (ExternalSecret, SOPS, sealed) or the workload identity lost its permission; compare with docs/overlays.md for the provider.',
            'Timeouts: egress to the object store is blocked (NetworkPolicy objstore ports) or the provider has an outage (check its status page).',
          ],
          escalate:
            'Escalate to the cloud account owners for permissions; page if uploads have failed for more than one block period (2h).',
        },
      },
    ],
  };
}
