import { JOBS } from '../scrape.js';
import { grpcServerErrorRule } from './query.js';
import { http5xxShare, processAge, ratio, sel, type RuleContext, type RuleGroup } from './types.js';
import { parseDuration } from '../../../core/units/duration.js';

const job = JOBS.receive;

export function receiveRules({ stack }: RuleContext): RuleGroup {
  const writes = 'handler="receive"';
  const blockHours = parseDuration(stack.prometheus.blockDuration)! / 3_600_000;
  const quiet = `${blockHours + 1}h`;
  return {
    name: 'thanos-receive',
    rules: [
      {
        alert: 'ThanosReceiveHttpErrors',
        expr: http5xxShare(job, writes),
        for: '5m',
        severity: 'critical',
        summary: 'Thanos Receive rejects more than 5% of remote writes.',
        description:
          'More than 5% of remote-write requests to Thanos Receive in {{ $labels.namespace }} end in a 5xx: writers retry and fall behind, and may drop samples. Check Receive logs and replication.',
        window: 'fires within 15m of errors starting',
        runbook: {
          meaning: 'Remote-write requests fail; writers buffer and retry, and drop samples once their buffer is full.',
          confirm: [
            `sum by (code) (rate(http_requests_total{job="${job}", handler="receive"}[5m]))`,
            'kubectl -n <namespace> logs -l app.kubernetes.io/name=thanos-receive --tail=200',
          ],
          fix: [
            'Replication failing (not enough healthy replicas for the quorum): see ThanosReceiveReplicationFailures.',
            'Out of memory or disk: resources and volume of thanos-receive.',
          ],
          escalate: 'Page the platform on-call: remote-written data is being lost.',
        },
      },
      {
        alert: 'ThanosReceiveReplicationFailures',
        expr: `${ratio(sel('thanos_receive_replications_total', job, 'result="error"'), sel('thanos_receive_replications_total', job), 'job, namespace')} > 0.05`,
        for: '5m',
        severity: 'warning',
        summary: 'Thanos Receive fails to replicate writes.',
        description:
          'More than 5% of replications between Receive replicas in {{ $labels.namespace }} fail: writes lose their redundancy and fail when the quorum is not reached. Check that every hashring member is up.',
        window: 'fires within 15m of replication failures starting',
        runbook: {
          meaning: `Each write is replicated to ${stack.receive.replicationFactor} Receive replicas; failures mean a replica is down or unreachable.`,
          confirm: [
            `sum by (pod) (rate(thanos_receive_replications_total{job="${job}", result="error"}[5m]))`,
            'kubectl -n <namespace> get pods -l app.kubernetes.io/name=thanos-receive',
          ],
          fix: [
            'A replica down: get it back (volume, node); the hashring must list exactly the StatefulSet pods (receive-hashring policy).',
          ],
          escalate: 'Escalate if more than one replica is down: writes fail.',
        },
      },
      {
        alert: 'ThanosReceiveForwardFailures',
        expr: `${ratio(sel('thanos_receive_forward_requests_total', job, 'result="error"'), sel('thanos_receive_forward_requests_total', job), 'job, namespace')} > 0.05`,
        for: '5m',
        severity: 'warning',
        summary: 'Thanos Receive fails to forward writes to their hashring owner.',
        description:
          'More than 5% of the writes Receive forwards to the replica that owns them fail in {{ $labels.namespace }}. Check the hashring and the gRPC NetworkPolicy between Receive pods.',
        window: 'fires within 15m of forward failures starting',
        runbook: {
          meaning: 'A Receive pod accepts writes for series another pod owns and forwards them; failures mean lost or retried writes.',
          confirm: [`sum by (pod) (rate(thanos_receive_forward_requests_total{job="${job}", result="error"}[5m]))`],
          fix: ['Check the owner pods, their gRPC port 10901 and the NetworkPolicy thanos-receive (ingress from receive pods).'],
          escalate: 'Escalate together with ThanosReceiveHttpErrors.',
        },
      },
      {
        alert: 'ThanosReceiveHashringRefreshFailures',
        expr: `sum by (job, namespace, pod) (increase(${sel('thanos_receive_hashrings_file_errors_total', job)}[5m])) > 0`,
        for: '15m',
        severity: 'warning',
        summary: 'Thanos Receive {{ $labels.pod }} cannot read its hashring.',
        description:
          'Receive {{ $labels.pod }} fails to reload the hashring file: it keeps routing writes by the old hashring. Check the hashring ConfigMap.',
        window: 'fires within 25m of refresh failures starting',
        runbook: {
          meaning:
            'The hashring file (ConfigMap thanos-receive-hashring) does not parse or cannot be read; new or removed replicas are not taken into account.',
          confirm: [
            `increase(thanos_receive_hashrings_file_errors_total{job="${job}"}[15m])`,
            'kubectl -n <namespace> get configmap thanos-receive-hashring -o yaml',
          ],
          fix: ['The hashring is generated (npm run generate); a hand edit or a user patch broke it: revert it.'],
          escalate: 'Escalate if writes fail at the same time.',
        },
      },
      {
        alert: 'ThanosReceiveNoUpload',
        // Only a pod that takes writes has blocks to upload; a new pod waits like a new sidecar. A pod
        // takes writes when its TSDB head appends samples (the tenant TSDBs register Prometheus' head
        // metrics, thanos v0.42.4 pkg/receive/multitsdb.go:936): that is an ingestor of a split Receive,
        // which gets its writes from the routers over gRPC or Cap'n Proto, never over HTTP
        // (cmd/thanos/receive.go:192, :565), and a combined pod, judged as before by its HTTP 2xx writes
        // too. A router ingests nothing and ships nothing: no shipper metrics, so it never fires.
        expr:
          `sum by (namespace, pod) (increase(${sel('thanos_shipper_uploads_total', job)}[${quiet}])) == 0` +
          ` and on (namespace, pod) (` +
          `sum by (namespace, pod) (increase(${sel('prometheus_tsdb_head_samples_appended_total', job)}[${quiet}])) > 0` +
          ` or sum by (namespace, pod) (increase(${sel('http_requests_total', job, `${writes}, code=~"2.."`)}[${quiet}])) > 0)` +
          ` and on (namespace, pod) ${processAge([job])} > ${(1.5 * blockHours + 0.5) * 3600}`,
        for: '15m',
        severity: 'critical',
        summary: `Thanos Receive {{ $labels.pod }} has uploaded no block for over ${quiet}.`,
        description: `Receive {{ $labels.pod }} ingests writes (from remote writers or from the routers) but uploaded no block in ${quiet}: data stays only on its volume. Check its log and the bucket.`,
        window: `fires within ${blockHours + 2}h of the last upload while writes arrive; silent after a start`,
        runbook: {
          meaning:
            'Receive cuts a block every block period and uploads it; without uploads, data lives only on the Receive volume until its retention deletes it.',
          confirm: [
            `increase(thanos_shipper_uploads_total{job="${job}"}[${quiet}])`,
            `increase(thanos_shipper_upload_failures_total{job="${job}"}[${quiet}])`,
            'thanos tools bucket ls --objstore.config-file=<objstore.yml> -o wide',
          ],
          fix: ['Upload failures: see ThanosBucketOperationsFailing.'],
          escalate: 'Page the platform on-call if not fixed within the Receive retention.',
        },
      },
      grpcServerErrorRule('ThanosReceiveGrpcErrors', job, 'Thanos Receive'),
    ],
  };
}
