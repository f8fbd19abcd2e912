import { parseDuration } from '../../../core/units/duration.js';
import { JOBS } from '../scrape.js';
import { RETENTION_WHERE, processAge, sel, type RuleContext, type RuleGroup } from './types.js';

const job = JOBS.sidecar;
const HOUR = 3_600_000;

/** A Prometheus with an empty TSDB cuts its first block after 1.5 block periods of data. */
export function firstBlockAfterStartHours(blockDuration: string): number {
  return (1.5 * parseDuration(blockDuration)!) / HOUR;
}

export function sidecarRules({ stack }: RuleContext): RuleGroup {
  const blockHours = parseDuration(stack.prometheus.blockDuration)! / HOUR;
  // Quiet window: one block period plus an hour of margin. Gate after a start: the first block of an
  // empty TSDB (1.5 periods) plus 30m to upload it. Both measured, not read off a gauge that starts at 0.
  const quiet = `${blockHours + 1}h`;
  const gate = (firstBlockAfterStartHours(stack.prometheus.blockDuration) + 0.5) * 3600;
  return {
    name: 'thanos-sidecar',
    rules: [
      {
        alert: 'ThanosSidecarNoUpload',
        expr:
          `sum by (namespace, pod) (increase(${sel('thanos_shipper_uploads_total', job)}[${quiet}])) == 0` +
          ` and on (namespace, pod) ${processAge([JOBS.prometheus, job])} > ${gate}`,
        for: '15m',
        severity: 'critical',
        summary: `Sidecar {{ $labels.pod }} has uploaded no block for over ${quiet}.`,
        description: `The Thanos sidecar in {{ $labels.pod }} uploaded no block to object storage in the last ${quiet} (blocks are cut every ${stack.prometheus.blockDuration}). Data older than the local retention will be lost. Check the sidecar log and the bucket.`,
        window: `fires within ${blockHours + 2}h of the last upload (${quiet} without one, then 15m); silent for ${gate / 3600}h after any Prometheus or sidecar start`,
        runbook: {
          meaning: `Each Prometheus cuts a ${stack.prometheus.blockDuration} block and its sidecar uploads it. No upload for ${quiet} means blocks pile up locally and are deleted by the local retention without ever reaching the bucket: ${RETENTION_WHERE.prometheus}. Long-term data is being lost. The alert counts uploads (a counter) and waits after a restart, so a new pod does not trigger it.`,
          confirm: [
            `increase(thanos_shipper_uploads_total{job="${job}"}[${quiet}])`,
            `increase(thanos_shipper_upload_failures_total{job="${job}"}[${quiet}])`,
            'kubectl -n <namespace> logs <pod> -c thanos-sidecar | grep -i -E "upload|shipper"',
            'thanos tools bucket ls --objstore.config-file=<objstore.yml> -o wide   # newest blocks per replica',
          ],
          fix: [
            'Upload failures: bucket credentials or permissions (see ThanosBucketOperationsFailing); the objstore Secret may have rotated.',
            'No failures and no uploads: Prometheus is not cutting blocks: check PrometheusTSDBCompactionsFailing and that min = max block duration (the block-duration policy).',
          ],
          escalate: `Page the platform on-call if it cannot be fixed well before the oldest un-uploaded block reaches the local retention: that is ${RETENTION_WHERE.prometheus}.`,
        },
      },
      {
        alert: 'ThanosSidecarPrometheusDown',
        // A Prometheus that just started replays its WAL and is not ready yet: that is not an outage.
        expr: `${sel('thanos_sidecar_prometheus_up', job)} == 0 and on (namespace, pod) ${processAge([JOBS.prometheus])} > 600`,
        for: '5m',
        severity: 'critical',
        summary: 'Sidecar {{ $labels.pod }} cannot reach its Prometheus.',
        description:
          'The sidecar in {{ $labels.pod }} has not reached Prometheus on localhost for 5 minutes although Prometheus started over 10 minutes ago: queries through this replica fail and nothing is uploaded.',
        window: 'fires within 10m of losing the connection; silent for the first 10m after a Prometheus start (WAL replay)',
        runbook: {
          meaning:
            'The sidecar serves Query and uploads blocks on behalf of Prometheus; without a connection to a started Prometheus it does neither.',
          confirm: [
            `thanos_sidecar_prometheus_up{job="${job}"}`,
            'kubectl -n <namespace> logs <pod> -c thanos-sidecar',
            'kubectl -n <namespace> logs <pod> -c prometheus',
          ],
          fix: [
            'Prometheus not ready (long WAL replay, OOM loop): look at its log and memory.',
            'Prometheus ready: the sidecar must use --prometheus.url=http://localhost:9090 in the same pod.',
          ],
          escalate: 'Page if both replicas show it: queries for recent data fail.',
        },
      },
    ],
  };
}
