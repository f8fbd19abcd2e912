import type { StackConfig } from '../../model/stack.js';
import { JOBS } from '../scrape.js';
import { m, type DashboardSpec, type Row } from './panels.js';

const MC = JOBS.memcached;
const S = JOBS.store;
const QF = JOBS.queryFrontend;

/** The stack's own memcached pods, through the exporter beside each (memcached_exporter v0.17.0). */
function serverRow(): Row {
  return {
    title: 'Memcached servers',
    panels: [
      {
        title: 'Pods answering',
        description: 'memcached pods whose exporter reaches memcached; fewer than the StatefulSet replicas fires MemcachedDown.',
        unit: 'short',
        kind: 'stat',
        queries: [{ expr: `count(max by (pod) (${m('memcached_up', MC)}) == 1)`, legend: 'answering' }],
      },
      {
        title: 'Memory used of -m',
        description: 'Bytes of items each pod holds, as a share of its -m limit; a full cache evicts the least recently used items.',
        unit: 'percentunit',
        queries: [{ expr: `max by (pod) (${m('memcached_current_bytes', MC)} / ${m('memcached_limit_bytes', MC)})`, legend: '{{pod}}' }],
      },
      {
        title: 'Get hit ratio',
        description:
          'Share of gets that find their key, per pod; it drops after a restart (an empty cache) and when the cache is too small.',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum by (pod) (rate(${m('memcached_commands_total', MC, 'command="get", status="hit"')}[$__rate_interval])) / sum by (pod) (rate(${m('memcached_commands_total', MC, 'command="get"')}[$__rate_interval]))`,
            legend: '{{pod}}',
          },
        ],
      },
      {
        title: 'Evictions',
        description: 'Items evicted per second to make room: steady evictions with a falling hit ratio mean the cache needs more memory.',
        unit: 'ops',
        queries: [{ expr: `sum by (pod) (rate(${m('memcached_items_evicted_total', MC)}[$__rate_interval]))`, legend: '{{pod}}' }],
      },
      {
        title: 'Connections of the limit',
        description: 'Open connections as a share of -c; above 90% fires MemcachedConnectionsNearLimit.',
        unit: 'percentunit',
        queries: [
          {
            expr: `max by (pod) (${m('memcached_current_connections', MC)} / ${m('memcached_max_connections', MC)})`,
            legend: '{{pod}}',
          },
        ],
      },
      {
        title: 'Rejected connections',
        description: 'Connections memcached refused at its limit, per second: each one is a failed operation for a client.',
        unit: 'ops',
        queries: [{ expr: `sum by (pod) (rate(${m('memcached_connections_rejected_total', MC)}[$__rate_interval]))`, legend: '{{pod}}' }],
      },
    ],
  };
}

/**
 * The clients: the Store's Thanos memcached client (index cache and caching bucket, by `name`) and
 * the Query Frontend's Cortex client; the same for the stack's memcached and an external one.
 */
function clientRow(stack: StackConfig): Row {
  return {
    title: 'Cache clients',
    panels: [
      ...(stack.store.enabled
        ? [
            {
              title: 'Store cache operations',
              description: 'Operations of the Store on memcached per cache (index-cache, caching-bucket) and operation.',
              unit: 'ops',
              queries: [
                {
                  expr: `sum by (name, operation) (rate(${m('thanos_memcached_operations_total', S)}[$__rate_interval]))`,
                  legend: '{{name}} {{operation}}',
                },
              ],
            },
            {
              title: 'Store cache failures',
              description: 'Failed operations per cache and reason; more than 5% of a cache fires ThanosMemcachedClientErrors.',
              unit: 'ops',
              queries: [
                {
                  expr: `sum by (name, reason) (rate(${m('thanos_memcached_operation_failures_total', S)}[$__rate_interval]))`,
                  legend: '{{name}} {{reason}}',
                },
              ],
            },
            {
              title: 'Store cache latency p99',
              description: '99th percentile time of an operation per cache; near the 500ms client timeout, operations start failing.',
              unit: 's',
              queries: [
                {
                  expr: `histogram_quantile(0.99, sum by (name, operation, le) (rate(${m('thanos_memcached_operation_duration_seconds_bucket', S)}[$__rate_interval])))`,
                  legend: '{{name}} {{operation}}',
                },
              ],
            },
          ]
        : []),
      ...(stack.queryFrontend.enabled
        ? [
            {
              title: 'Query Frontend cache requests by code',
              description: 'Requests of the response cache by status: 200 found, 404 a miss, 500 a failure.',
              unit: 'reqps',
              queries: [
                {
                  expr: `sum by (status_code) (rate(${m('cortex_memcache_request_duration_seconds_count', QF)}[$__rate_interval]))`,
                  legend: '{{status_code}}',
                },
              ],
            },
          ]
        : []),
    ],
  };
}

/** Only for the memcached backends: the in-memory caches live inside the Store and Query Frontend. */
export function cacheDashboard(stack: StackConfig): DashboardSpec {
  return {
    uid: 'thanos-ha-cache',
    title: 'Thanos HA / Caches',
    description: 'The shared memcached caches: the servers the stack runs, and what the Store and Query Frontend get from them.',
    rows: [...(stack.cache.backend === 'memcached' ? [serverRow()] : []), clientRow(stack)],
  };
}
