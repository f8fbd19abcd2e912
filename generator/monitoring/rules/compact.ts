import { JOBS, SHARD_TARGET_LABEL } from '../scrape.js';
import { processAge, ratio, sel, type RuleGroup } from './types.js';

const job = JOBS.compact;

export function compactRules(): RuleGroup {
  return {
    name: 'thanos-compact',
    rules: [
      {
        alert: 'ThanosCompactHalted',
        expr: `max by (job, namespace, pod) (${sel('thanos_compact_halted', job)}) == 1`,
        for: '5m',
        severity: 'warning',
        summary: 'Thanos Compact has halted.',
        description:
          'Thanos Compact in {{ $labels.namespace }} hit an error it will not retry (overlapping blocks, a corrupt block) and stopped: nothing is compacted, downsampled or deleted by retention until someone acts. Read its log.',
        window: 'fires within 15m of the halt',
        runbook: {
          meaning:
            'The compactor stopped on an error that needs a person. Blocks keep arriving but are not compacted or downsampled, queries over long ranges get slower, and retention does not delete anything.',
          confirm: [
            `thanos_compact_halted{job="${job}"}`,
            'kubectl -n <namespace> logs thanos-compact-0 | grep -i -E "halt|critical|overlap"',
            'thanos tools bucket verify --objstore.config-file=<objstore.yml> --issues=overlapped_blocks',
            'thanos tools bucket ls --objstore.config-file=<objstore.yml> -o wide',
          ],
          fix: [
            'Overlapping blocks: usually two compactors on one bucket (another overlay or cluster) or two Prometheus with the same external labels; stop the extra writer, then mark the duplicated block for deletion (thanos tools bucket mark --marker=deletion-mark.json --id=<ULID> --details="overlap").',
            'A corrupt block: mark it no-compact (thanos tools bucket mark --marker=no-compact-mark.json --id=<ULID>) and restart the compactor (kubectl -n <namespace> delete pod thanos-compact-0).',
          ],
          escalate:
            'Not a night-time page; if not resolved within a working day, escalate to the observability owners (retention stops deleting, the bucket grows).',
        },
      },
      {
        alert: 'ThanosCompactNotRunRecently',
        // Counted, not read off a timestamp gauge that is 0 after every start.
        expr: `sum by (job, namespace, pod) (increase(${sel('thanos_compact_iterations_total', job)}[24h])) == 0 and on (namespace, pod) ${processAge([job])} > 86400`,
        for: '15m',
        severity: 'warning',
        summary: 'Thanos Compact has not completed a run in 24h.',
        description:
          'Thanos Compact in {{ $labels.namespace }} has completed no compaction iteration in 24 hours although it has been running that long: it is stuck or too slow for the bucket.',
        window: 'fires 24h15m after the last completed iteration; silent for 24h after a start',
        runbook: {
          meaning:
            'No iteration (sync, compaction, downsampling, retention) finished in a day: the compactor is stuck on a huge compaction, or slowed down by the bucket.',
          confirm: [
            `increase(thanos_compact_iterations_total{job="${job}"}[24h])`,
            `thanos_compact_todo_compactions{job="${job}"}`,
            'kubectl -n <namespace> logs thanos-compact-0 --tail=200',
          ],
          fix: [
            'Raise compact concurrency and resources (overrides.compact), make sure its volume has room (about 100Gi per concurrency at scale).',
            'Bucket errors: see ThanosBucketOperationsFailing.',
          ],
          escalate: 'Escalate to the observability owners if the backlog keeps growing for several days.',
        },
      },
      {
        alert: 'ThanosCompactMultipleRunning',
        // Pods, not series: both Prometheus replicas scrape the one compactor. Counted per shard: the
        // shards of a sharded compactor are one pod each under one job, by design, and own disjoint
        // blocks (their --selector.relabel-config); the scrape sets the shard label from the pod's.
        expr: `count by (job, namespace, ${SHARD_TARGET_LABEL}) (max by (job, namespace, ${SHARD_TARGET_LABEL}, pod) (${sel('up', job)}) == 1) > 1`,
        for: '5m',
        severity: 'warning',
        summary: 'More than one Thanos Compact runs on the same blocks.',
        description:
          'More than one Thanos Compact pod in {{ $labels.namespace }} works on the same blocks (one unsharded compactor, or one shard): they will create overlapping blocks and halt. Scale that StatefulSet to exactly 1.',
        window: 'fires within 15m of a second compactor starting',
        runbook: {
          meaning:
            'Compaction is not safe with two unsharded compactors on one bucket (the compact-singleton policy checks the manifests; this catches a manual scale-up).',
          confirm: [`up{job="${job}"}`, 'kubectl -n <namespace> get statefulset thanos-compact'],
          fix: [
            'kubectl -n <namespace> scale statefulset thanos-compact --replicas=1, and find who scaled it (GitOps self-heal sets it back to 1).',
          ],
          escalate: 'Escalate if blocks already overlap (ThanosCompactHalted).',
        },
      },
      {
        alert: 'ThanosCompactCompactionFailures',
        expr: `${ratio(sel('thanos_compact_group_compactions_failures_total', job), sel('thanos_compact_group_compactions_total', job), 'job, namespace')} > 0.05`,
        for: '15m',
        severity: 'warning',
        summary: 'Thanos Compact fails more than 5% of its compactions.',
        description: 'Compactions fail in Thanos Compact in {{ $labels.namespace }}; it retries, but the backlog grows. Read its log.',
        window: 'fires within 25m of failures starting',
        runbook: {
          meaning:
            'Individual compactions fail (out of disk, out of memory, bucket errors) and are retried; repeated failures turn into a halt or a growing backlog.',
          confirm: [
            `rate(thanos_compact_group_compactions_failures_total{job="${job}"}[5m])`,
            'kubectl -n <namespace> logs thanos-compact-0 | grep -i error',
          ],
          fix: ['Out of disk: grow the compactor volume (overrides.compact.storageSize).', 'OOMKilled: raise its memory limit.'],
          escalate: 'Escalate if it turns into ThanosCompactHalted.',
        },
      },
    ],
  };
}
