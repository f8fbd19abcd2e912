import { JOBS } from '../scrape.js';
import { m, type DashboardSpec } from './panels.js';

const S = JOBS.store;

export function storeDashboard(): DashboardSpec {
  const bucketJobs = 'job=~"thanos-.*"';
  const all = (metric: string, extra = '') =>
    `${metric}{cluster=~"$cluster", namespace="$namespace", ${bucketJobs}${extra ? `, ${extra}` : ''}}`;
  return {
    uid: 'thanos-ha-store',
    title: 'Thanos HA / Store and bucket',
    description: "Thanos Store Gateway (old data from the bucket) and every component's object storage operations.",
    rows: [
      {
        title: 'Store Gateway',
        panels: [
          {
            title: 'Series calls by code',
            description: 'StoreAPI Series calls Store serves, by gRPC code.',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (grpc_code) (rate(${m('grpc_server_handled_total', S, 'grpc_method="Series"')}[$__rate_interval]))`,
                legend: '{{grpc_code}}',
              },
            ],
          },
          {
            title: 'Series call latency p99',
            description: '99th percentile time Store takes to answer a Series call.',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.99, sum by (le) (rate(${m('grpc_server_handling_seconds_bucket', S, 'grpc_method="Series"')}[$__rate_interval])))`,
                legend: 'p99',
              },
            ],
          },
          {
            title: 'Blocks loaded',
            description: 'Blocks Store serves; it grows with uploads and shrinks when Compact merges or deletes blocks.',
            unit: 'short',
            queries: [{ expr: `sum by (pod) (${m('thanos_bucket_store_blocks_loaded', S)})`, legend: '{{pod}}' }],
          },
        ],
      },
      {
        title: 'Object storage, every component',
        panels: [
          {
            title: 'Bucket operations by component',
            description: 'Object storage calls per second, by component and operation.',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (job, operation) (rate(${all('thanos_objstore_bucket_operations_total')}[$__rate_interval]))`,
                legend: '{{job}} {{operation}}',
              },
            ],
          },
          {
            title: 'Failed bucket operations',
            description: 'Failing object storage calls; a sustained share over 5% fires ThanosBucketOperationsFailing.',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (job, operation) (rate(${all('thanos_objstore_bucket_operation_failures_total')}[$__rate_interval]))`,
                legend: '{{job}} {{operation}}',
              },
            ],
          },
          {
            title: 'Bucket operation latency p99',
            description: '99th percentile duration of object storage calls by component; Store over 2s fires ThanosStoreBucketLatencyHigh.',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.99, sum by (job, le) (rate(${all('thanos_objstore_bucket_operation_duration_seconds_bucket')}[$__rate_interval])))`,
                legend: '{{job}}',
              },
            ],
          },
        ],
      },
    ],
  };
}
