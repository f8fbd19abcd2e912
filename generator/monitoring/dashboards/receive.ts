import { JOBS } from '../scrape.js';
import { m, type DashboardSpec } from './panels.js';

const R = JOBS.receive;
/** The gRPC call that carries forwarded writes (thanos v0.42.4 pkg/store/storepb/rpc.proto:49-51). */
const REMOTE_WRITE = 'grpc_service="thanos.WriteableStore", grpc_method="RemoteWrite"';

/**
 * The rows a split Receive needs apart: what its routers forward and wait for, and what its
 * ingestors take and append. Each reads metrics only that side has (routers: the HTTP handler and
 * the forwarding client; ingestors: the RemoteWrite server and the TSDB head), so no row selects
 * pods by name; a combined Receive shows both sides on the same pods.
 */
function splitRows(split: boolean): DashboardSpec['rows'] {
  return [
    {
      title: split ? 'Routers: forwarding to the ingestors' : 'Forwarding between replicas',
      panels: [
        {
          title: 'Forward latency p99',
          description:
            'What each Receive waits for its forwards (gRPC RemoteWrite) to the replicas owning the series; half the 5s forward timeout fires ThanosReceiveForwardLatencyHigh.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (pod, le) (rate(${m('grpc_client_handling_seconds_bucket', R, REMOTE_WRITE)}[$__rate_interval])))`,
              legend: '{{pod}}',
            },
          ],
        },
        {
          title: 'Forward queue delay p99',
          description:
            'Time a write waits for a free forward worker per destination; high while forward latency is low means the routers lack workers or CPU.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (worker, le) (rate(${m('thanos_receive_forward_delay_seconds_bucket', R)}[$__rate_interval])))`,
              legend: '{{worker}}',
            },
          ],
        },
        {
          title: 'Pending write requests',
          description:
            'Remote-write requests each Receive holds while it forwards them; a rising line means writers outpace the ingestors.',
          unit: 'short',
          queries: [{ expr: `sum by (pod) (${m('thanos_receive_pending_write_requests', R)})`, legend: '{{pod}}' }],
        },
      ],
    },
    {
      title: split ? 'Ingestors: what they take' : 'Ingestion',
      panels: [
        {
          title: 'Forwarded writes served by code',
          description: 'RemoteWrite calls each replica answers for the routers (or its peers), by gRPC code.',
          unit: 'reqps',
          queries: [
            {
              expr: `sum by (pod, grpc_code) (rate(${m('grpc_server_handled_total', R, REMOTE_WRITE)}[$__rate_interval]))`,
              legend: '{{pod}} {{grpc_code}}',
            },
          ],
        },
        {
          title: 'Head series per replica',
          description: 'Active series per replica that keeps a TSDB; replication makes each series live on several.',
          unit: 'short',
          queries: [{ expr: `max by (pod) (${m('prometheus_tsdb_head_series', R)})`, legend: '{{pod}}' }],
        },
        {
          title: 'Samples appended',
          description: 'Samples each replica appends to its TSDB heads (all tenants): ThanosReceiveNoUpload judges uploads against this.',
          unit: 'short',
          queries: [
            { expr: `sum by (pod) (rate(${m('prometheus_tsdb_head_samples_appended_total', R)}[$__rate_interval]))`, legend: '{{pod}}' },
          ],
        },
        {
          title: 'Append latency p99',
          description: 'What each replica takes to append a forwarded write: the server side of the forward latency.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (pod, le) (rate(${m('grpc_server_handling_seconds_bucket', R, REMOTE_WRITE)}[$__rate_interval])))`,
              legend: '{{pod}}',
            },
          ],
        },
      ],
    },
  ];
}

/** `split`: the Receive runs routers in front of ingestors (receive.routers > 0). */
export function receiveDashboard(split: boolean): DashboardSpec {
  return {
    uid: 'thanos-ha-receive',
    title: 'Thanos HA / Receive',
    description: split
      ? 'The remote-write path of a split Receive: requests and write latency at the routers, forwarding to the ingestors, what the ingestors append, replication and uploads.'
      : 'The remote-write path: requests, replication and forwarding between replicas, write latency and uploads.',
    rows: [
      {
        title: split ? 'Routers: write path' : 'Write path',
        panels: [
          {
            title: 'Remote-write requests by code',
            description: 'Remote-write requests per second by status code; a 5xx share over 5% fires ThanosReceiveHttpErrors.',
            unit: 'reqps',
            queries: [
              { expr: `sum by (code) (rate(${m('http_requests_total', R, 'handler="receive"')}[$__rate_interval]))`, legend: '{{code}}' },
            ],
          },
          {
            title: 'Write latency p99',
            description:
              '99th percentile time to accept a remote-write request, replication included; reaching the 5s forward timeout fires ThanosReceiveWriteLatencyHigh.',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.99, sum by (le) (rate(${m('http_request_duration_seconds_bucket', R, 'handler="receive"')}[$__rate_interval])))`,
                legend: 'p99',
              },
            ],
          },
        ],
      },
      ...splitRows(split),
      {
        title: 'Replication',
        panels: [
          {
            title: 'Replications by result',
            description: 'Writes replicated to the replicas that own them; errors mean a replica is down or unreachable.',
            unit: 'ops',
            queries: [
              { expr: `sum by (result) (rate(${m('thanos_receive_replications_total', R)}[$__rate_interval]))`, legend: '{{result}}' },
            ],
          },
          {
            title: 'Forwards by result',
            description: 'Writes forwarded to their hashring owner, by result.',
            unit: 'ops',
            queries: [
              { expr: `sum by (result) (rate(${m('thanos_receive_forward_requests_total', R)}[$__rate_interval]))`, legend: '{{result}}' },
            ],
          },
          {
            title: 'Blocks uploaded (2h)',
            description: 'Blocks each replica uploaded in the last 2 hours.',
            unit: 'short',
            queries: [{ expr: `sum by (pod) (increase(${m('thanos_shipper_uploads_total', R)}[2h]))`, legend: '{{pod}}' }],
          },
        ],
      },
    ],
  };
}
