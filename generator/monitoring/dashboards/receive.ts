import { JOBS } from '../scrape.js';
import { m, type DashboardSpec } from './panels.js';

const R = JOBS.receive;

export function receiveDashboard(): DashboardSpec {
  return {
    uid: 'thanos-ha-receive',
    title: 'Thanos HA / Receive',
    description: 'The remote-write path: requests, replication and forwarding between replicas, write latency and uploads.',
    rows: [
      {
        title: 'Write path',
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
            description: '99th percentile time to accept a remote-write request, replication included.',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.99, sum by (le) (rate(${m('http_request_duration_seconds_bucket', R, 'handler="receive"')}[$__rate_interval])))`,
                legend: 'p99',
              },
            ],
          },
          {
            title: 'Head series per replica',
            description: 'Active series per Receive replica; replication makes each series live on several.',
            unit: 'short',
            queries: [{ expr: `max by (pod) (${m('prometheus_tsdb_head_series', R)})`, legend: '{{pod}}' }],
          },
        ],
      },
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
