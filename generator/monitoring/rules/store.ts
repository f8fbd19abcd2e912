import { JOBS } from '../scrape.js';
import { grpcServerErrorRule } from './query.js';
import { sel, type RuleGroup } from './types.js';

const job = JOBS.store;

export function storeRules(): RuleGroup {
  return {
    name: 'thanos-store',
    rules: [
      grpcServerErrorRule('ThanosStoreGrpcErrors', job, 'Thanos Store'),
      {
        alert: 'ThanosStoreBucketLatencyHigh',
        expr:
          `histogram_quantile(0.99, sum by (job, namespace, le) (rate(${sel('thanos_objstore_bucket_operation_duration_seconds_bucket', job)}[5m]))) > 2` +
          ` and sum by (job, namespace) (rate(${sel('thanos_objstore_bucket_operation_duration_seconds_count', job)}[5m])) > 0`,
        for: '10m',
        severity: 'warning',
        summary: 'Thanos Store waits long on object storage: p99 above 2s.',
        description:
          'The 99th percentile latency of bucket operations of Thanos Store in {{ $labels.namespace }} is over 2s: queries of old data are slow. Check the provider and the Store caches.',
        window: 'fires within 20m of latency rising',
        runbook: {
          meaning: 'Store reads index headers and chunks from the bucket; slow reads make every query over old data slow.',
          confirm: [
            `histogram_quantile(0.99, sum by (operation, le) (rate(thanos_objstore_bucket_operation_duration_seconds_bucket{job="${job}"}[5m])))`,
          ],
          fix: [
            'Provider slowness: check its status page and the region of the bucket vs the cluster.',
            'Many small reads: give Store more memory for its index cache, or add a caching bucket.',
          ],
          escalate: 'Escalate to the cloud account owners if the provider is degraded.',
        },
      },
    ],
  };
}
