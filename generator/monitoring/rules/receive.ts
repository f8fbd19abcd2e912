import { JOBS } from '../scrape.js';
import { grpcServerErrorRule } from './query.js';
import { RETENTION_WHERE, http5xxShare, processAge, ratio, sel, type RuleContext, type RuleGroup } from './types.js';
import { parseDuration } from '../../../core/units/duration.js';

const job = JOBS.receive;

/**
 * How long a Receive waits for one forward before failing it: the hidden --receive-forward-timeout,
 * which the stack leaves at its default (thanos v0.42.4 cmd/thanos/receive.go:1063).
 */
const FORWARD_TIMEOUT_SECONDS = 5;
/** The gRPC call a router (or a combined pod) forwards writes with (pkg/store/storepb/rpc.proto:49-51). */
const remoteWrite = 'grpc_service="thanos.WriteableStore", grpc_method="RemoteWrite"';

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
        alert: 'ThanosReceiveWriteLatencyHigh',
        // The pods that take remote write over HTTP: a split Receive's routers, or combined pods.
        // Ingestors get their writes over gRPC and have no such requests, so they never count.
        // A write returns when a quorum of its forwards answered, each bounded by the forward
        // timeout (hidden --receive-forward-timeout, 5s, thanos v0.42.4 cmd/thanos/receive.go:1063):
        // a p99 at that timeout means forwards are timing out, not just slow.
        expr:
          `histogram_quantile(0.99, sum by (job, namespace, le) (rate(${sel('http_request_duration_seconds_bucket', job, writes)}[5m]))) >= ${FORWARD_TIMEOUT_SECONDS}` +
          ` and sum by (job, namespace) (rate(${sel('http_request_duration_seconds_count', job, writes)}[5m])) > 0`,
        for: '10m',
        severity: 'warning',
        summary: `Thanos Receive takes ${FORWARD_TIMEOUT_SECONDS}s or more to accept the slowest remote writes.`,
        description: `The 99th percentile of remote-write requests to Thanos Receive in {{ $labels.namespace }} (its routers, or combined pods) reaches the ${FORWARD_TIMEOUT_SECONDS}s forward timeout: forwards to the ingestors time out, writers' queues grow. Check forward latency and the ingestors.`,
        window: 'fires within 20m of write latency rising (5m rate, 10m for)',
        runbook: {
          meaning:
            'Remote writers wait for Receive to accept each batch, and Receive answers only once enough replicas of each series took it. When the slowest writes reach the forward timeout, writers hold more in their queues, then retry; an agent drops samples once its WAL no longer holds them.',
          confirm: [
            `histogram_quantile(0.99, sum by (pod, le) (rate(http_request_duration_seconds_bucket{job="${job}", ${writes}}[5m])))`,
            `histogram_quantile(0.99, sum by (pod, le) (rate(grpc_client_handling_seconds_bucket{job="${job}", ${remoteWrite}}[5m])))`,
            `histogram_quantile(0.99, sum by (worker, le) (rate(thanos_receive_forward_delay_seconds_bucket{job="${job}"}[5m])))`,
          ],
          fix: [
            'Forward latency high too: the ingestors are slow; see ThanosReceiveForwardLatencyHigh.',
            'Forward queue delay high (thanos_receive_forward_delay_seconds) while forward latency is low: the routers lack forward workers or CPU; add routers (overrides.receive.routers) or raise their CPU limit.',
          ],
          escalate: 'Escalate with ThanosReceiveHttpErrors or when agents report failed samples: writes are being lost.',
        },
      },
      {
        alert: 'ThanosReceiveForwardLatencyHigh',
        // What a router (or a combined pod) waits for each forward to an ingestor: the client side of
        // the gRPC RemoteWrite call (thanos.WriteableStore, pkg/store/storepb/rpc.proto:49-51), timed by
        // the client interceptor of cmd/thanos/receive.go:162 (pkg/extgrpc/client.go:106-135).
        expr:
          `histogram_quantile(0.99, sum by (job, namespace, le) (rate(${sel('grpc_client_handling_seconds_bucket', job, remoteWrite)}[5m]))) >= ${FORWARD_TIMEOUT_SECONDS / 2}` +
          ` and sum by (job, namespace) (rate(${sel('grpc_client_handling_seconds_count', job, remoteWrite)}[5m])) > 0`,
        for: '10m',
        severity: 'warning',
        summary: `Thanos Receive forwards to its ingestors take ${FORWARD_TIMEOUT_SECONDS / 2}s or more.`,
        description: `The 99th percentile of the writes Thanos Receive in {{ $labels.namespace }} forwards to the replicas that own them takes half the ${FORWARD_TIMEOUT_SECONDS}s forward timeout or more: the ingestors append slowly. Check the ingestors' CPU, memory and volume.`,
        window: 'fires within 20m of forward latency rising (5m rate, 10m for)',
        runbook: {
          meaning:
            'Each write is forwarded over gRPC to the ingestors (or peers) that own its series; forwards that reach the timeout fail and count in ThanosReceiveForwardFailures. Slow forwards mean slow appends: an ingestor short of CPU or memory, compacting its head, or on a slow volume.',
          confirm: [
            `histogram_quantile(0.99, sum by (pod, le) (rate(grpc_client_handling_seconds_bucket{job="${job}", ${remoteWrite}}[5m])))`,
            `histogram_quantile(0.99, sum by (pod, le) (rate(grpc_server_handling_seconds_bucket{job="${job}", ${remoteWrite}}[5m])))`,
            'kubectl -n <namespace> top pods -l app.kubernetes.io/name=thanos-receive',
          ],
          fix: [
            'Ingestors at their CPU or memory limit: raise overrides.receive.resources, or add ingestors (overrides.receive.replicas; the hashring follows).',
            'One ingestor slow (its server-side p99 alone is high): its node or volume; see its events and the volume alerts.',
          ],
          escalate: 'Escalate if ThanosReceiveForwardFailures or ThanosReceiveHttpErrors follow: writes are failing.',
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
          meaning: `Receive cuts a block every block period and uploads it; without uploads, data lives only on the Receive volume until the local retention deletes it: ${RETENTION_WHERE.receive}.`,
          confirm: [
            `increase(thanos_shipper_uploads_total{job="${job}"}[${quiet}])`,
            `increase(thanos_shipper_upload_failures_total{job="${job}"}[${quiet}])`,
            'thanos tools bucket ls --objstore.config-file=<objstore.yml> -o wide',
          ],
          fix: ['Upload failures: see ThanosBucketOperationsFailing.'],
          escalate: `Page the platform on-call if it cannot be fixed well within the local retention: that is ${RETENTION_WHERE.receive}.`,
        },
      },
      grpcServerErrorRule('ThanosReceiveGrpcErrors', job, 'Thanos Receive'),
    ],
  };
}
