import { JOBS } from '../scrape.js';
import { http5xxShare, ratio, sel, type AlertRule } from './types.js';

const job = JOBS.query;
const GRPC_SERVER_ERRORS = 'grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"';

/** gRPC server error share of a Thanos job (shared by Query, Store, Receive). */
export function grpcServerErrorRule(alert: string, forJob: string, component: string): AlertRule {
  return {
    alert,
    expr: `${ratio(sel('grpc_server_handled_total', forJob, GRPC_SERVER_ERRORS), sel('grpc_server_started_total', forJob), 'job, namespace')} > 0.05`,
    for: '5m',
    severity: 'warning',
    summary: `${component} fails more than 5% of its gRPC requests.`,
    description: `More than 5% of the gRPC calls ${component} ({{ $labels.job }} in {{ $labels.namespace }}) handles end in a server error. Look at grpc_server_handled_total by grpc_method and grpc_code, and at the ${component} logs.`,
    window: 'fires within 15m of errors starting',
    runbook: {
      meaning: `${component} answers gRPC calls (StoreAPI Series, LabelNames, ...) with server errors: queries through it return partial or no data.`,
      confirm: [
        `sum by (grpc_method, grpc_code) (rate(grpc_server_handled_total{job="${forJob}"}[5m]))`,
        `kubectl -n <namespace> logs -l app.kubernetes.io/name=${forJob} --tail=200`,
      ],
      fix: [
        'ResourceExhausted / DeadlineExceeded: queries too large for the limits or memory; raise resources or tighten query limits.',
        'Unavailable / Internal: the component is restarting or its dependencies (bucket, Prometheus) fail; see their alerts.',
      ],
      escalate: 'Escalate if queries for dashboards and alerts (the Ruler) fail for more than 30 minutes.',
    },
  };
}

export function queryRules(): { name: string; rules: AlertRule[] } {
  const handlers = 'handler=~"query|query_range"';
  return {
    name: 'thanos-query',
    rules: [
      {
        alert: 'ThanosQueryHttpErrors',
        expr: http5xxShare(job, handlers),
        for: '5m',
        severity: 'critical',
        summary: 'Thanos Query fails more than 5% of queries.',
        description:
          'More than 5% of instant and range queries to Thanos Query in {{ $labels.namespace }} end in a 5xx: dashboards and the Ruler see errors. Check the Query logs and its StoreAPI endpoints.',
        window: 'fires within 15m of errors starting',
        runbook: {
          meaning: 'Queries fail: Grafana shows errors and the Ruler cannot evaluate its rules.',
          confirm: [
            `sum by (handler, code) (rate(http_requests_total{job="${job}"}[5m]))`,
            'kubectl -n <namespace> logs -l app.kubernetes.io/name=thanos-query --tail=200',
          ],
          fix: [
            'Timeouts (503/504): queries too heavy for --query.timeout; see ThanosQueryLatencyHigh.',
            'Errors from endpoints: see ThanosQueryEndpointErrors and the alerts of Store and the sidecars.',
          ],
          escalate: 'Page the platform on-call if it lasts 15 minutes: nobody can see metrics.',
        },
      },
      grpcServerErrorRule('ThanosQueryGrpcServerErrors', job, 'Thanos Query'),
      {
        alert: 'ThanosQueryEndpointErrors',
        expr: `${ratio(sel('grpc_client_handled_total', job, 'grpc_code!="OK"'), sel('grpc_client_started_total', job), 'job, namespace')} > 0.05`,
        for: '5m',
        severity: 'warning',
        summary: 'Thanos Query fails more than 5% of its calls to StoreAPI endpoints.',
        description:
          'Thanos Query in {{ $labels.namespace }} gets errors from more than 5% of its calls to sidecars, Store, Receive and Ruler: query results may be partial. Check the Stores page of the Query UI.',
        window: 'fires within 15m of endpoint errors starting',
        runbook: {
          meaning: 'Some StoreAPI endpoints fail; Query returns partial results (with a warning) for the time ranges they hold.',
          confirm: [
            `sum by (grpc_code, grpc_method) (rate(grpc_client_handled_total{job="${job}", grpc_code!="OK"}[5m]))`,
            'Query UI, Stores: which endpoint is down and its last error',
          ],
          fix: ['Follow the failing endpoint: its pod, its NetworkPolicy (Query egress to grpc 10901) and its own alerts.'],
          escalate: 'Escalate if a whole data source (all sidecars, or Store) is unreachable.',
        },
      },
      {
        alert: 'ThanosQueryDNSFailures',
        expr: `${ratio(sel('thanos_query_endpoints_dns_failures_total', job), sel('thanos_query_endpoints_dns_lookups_total', job), 'job, namespace')} > 0.01`,
        for: '15m',
        severity: 'warning',
        summary: 'Thanos Query fails DNS lookups of its endpoints.',
        description:
          'More than 1% of the dnssrv+ lookups Thanos Query makes for its StoreAPI endpoints fail in {{ $labels.namespace }}: endpoints drop out of queries. Check the headless Services and cluster DNS.',
        window: 'fires within 25m of lookups starting to fail',
        runbook: {
          meaning: 'Query finds its StoreAPI endpoints through SRV records of headless Services; failing lookups remove endpoints.',
          confirm: [
            `rate(thanos_query_endpoints_dns_failures_total{job="${job}"}[5m])`,
            'kubectl -n <namespace> exec deploy/thanos-query -- nslookup -type=SRV _grpc._tcp.thanos-store.<namespace>.svc.cluster.local',
          ],
          fix: [
            'A Service was renamed or lost its grpc port name (the discovery-headless policy checks this).',
            'Cluster DNS overloaded or blocked: the allow-dns NetworkPolicy must admit UDP and TCP 53.',
          ],
          escalate: 'Escalate to the cluster team if cluster DNS itself fails.',
        },
      },
      {
        alert: 'ThanosQueryLatencyHigh',
        expr:
          `histogram_quantile(0.99, sum by (job, namespace, handler, le) (rate(${sel('http_request_duration_seconds_bucket', job, handlers)}[5m]))) > 40` +
          ` and sum by (job, namespace, handler) (rate(${sel('http_request_duration_seconds_count', job, handlers)}[5m])) > 0`,
        for: '10m',
        severity: 'warning',
        summary: 'Thanos Query answers slowly: p99 above 40s.',
        description:
          'The 99th percentile latency of {{ $labels.handler }} requests to Thanos Query in {{ $labels.namespace }} is over 40s: dashboards time out. Look for heavy queries and slow endpoints.',
        window: 'fires within 20m of latency rising',
        runbook: {
          meaning: 'Queries take close to the timeout; users see slow or failing dashboards and the Ruler may miss evaluations.',
          confirm: [
            `histogram_quantile(0.99, sum by (handler, le) (rate(http_request_duration_seconds_bucket{job="${job}"}[5m])))`,
            'Query UI with the slow query and "Analyze"; Store latency (ThanosStoreBucketLatencyHigh)',
          ],
          fix: [
            'Heavy queries over long ranges: use the Query Frontend (splitting and caching) and downsampled data.',
            'Slow Store: bucket latency or a cold index cache; scale Store or give it memory.',
          ],
          escalate: 'Escalate if latency makes the Ruler miss evaluations (ThanosRuleMissedEvaluations).',
        },
      },
    ],
  };
}
