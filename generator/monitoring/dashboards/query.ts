import { JOBS } from '../scrape.js';
import { m, type DashboardSpec, type Row } from './panels.js';

const Q = JOBS.query;
const F = JOBS.queryFrontend;

export function queryDashboard(withFrontend: boolean): DashboardSpec {
  const rows: Row[] = [
    {
      title: 'Thanos Query',
      panels: [
        {
          title: 'Requests by handler and code',
          description: 'Instant and range queries per second, by HTTP handler and status code.',
          unit: 'reqps',
          queries: [
            {
              expr: `sum by (handler, code) (rate(${m('http_requests_total', Q, 'handler=~"query|query_range"')}[$__rate_interval]))`,
              legend: '{{handler}} {{code}}',
            },
          ],
        },
        {
          title: 'Share of failed queries',
          description: 'Share of queries answered with a 5xx; above 5% fires ThanosQueryHttpErrors.',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum(rate(${m('http_requests_total', Q, 'handler=~"query|query_range", code=~"5.."')}[$__rate_interval])) / sum(rate(${m('http_requests_total', Q, 'handler=~"query|query_range"')}[$__rate_interval]))`,
              legend: '5xx',
            },
          ],
        },
        {
          title: 'Query latency p99 / p50',
          description: '99th and 50th percentile latency per handler; p99 over 40s fires ThanosQueryLatencyHigh.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (handler, le) (rate(${m('http_request_duration_seconds_bucket', Q, 'handler=~"query|query_range"')}[$__rate_interval])))`,
              legend: 'p99 {{handler}}',
            },
            {
              expr: `histogram_quantile(0.5, sum by (handler, le) (rate(${m('http_request_duration_seconds_bucket', Q, 'handler=~"query|query_range"')}[$__rate_interval])))`,
              legend: 'p50 {{handler}}',
            },
          ],
        },
        {
          title: 'Calls to StoreAPI endpoints by code',
          description: 'gRPC calls Query makes to sidecars, Store, Receive and Ruler, by result; anything but OK means partial results.',
          unit: 'reqps',
          queries: [{ expr: `sum by (grpc_code) (rate(${m('grpc_client_handled_total', Q)}[$__rate_interval]))`, legend: '{{grpc_code}}' }],
        },
        {
          title: 'Connected StoreAPI endpoints',
          description: 'Endpoints Query holds a gRPC connection to, by type; a drop means a data source left the query path.',
          unit: 'short',
          queries: [{ expr: `max by (store_type) (${m('thanos_store_nodes_grpc_connections', Q)})`, legend: '{{store_type}}' }],
        },
        {
          title: 'Endpoint DNS failures',
          description: 'Failed dnssrv+ lookups of StoreAPI endpoints per second.',
          unit: 'short',
          queries: [{ expr: `sum(rate(${m('thanos_query_endpoints_dns_failures_total', Q)}[$__rate_interval]))`, legend: 'failures' }],
        },
      ],
    },
  ];
  if (withFrontend) {
    rows.push({
      title: 'Thanos Query Frontend',
      panels: [
        {
          title: 'Requests by code',
          description: 'Queries from Grafana through the frontend, by status code.',
          unit: 'reqps',
          queries: [
            {
              expr: `sum by (code) (rate(${m('http_requests_total', F, 'handler="query-frontend"')}[$__rate_interval]))`,
              legend: '{{code}}',
            },
          ],
        },
        {
          title: 'Queries by type',
          description: 'Range and instant queries the frontend splits and caches.',
          unit: 'reqps',
          queries: [{ expr: `sum by (op) (rate(${m('thanos_query_frontend_queries_total', F)}[$__rate_interval]))`, legend: '{{op}}' }],
        },
        {
          title: 'Frontend latency p99',
          description: '99th percentile latency seen by Grafana.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (le) (rate(${m('http_request_duration_seconds_bucket', F, 'handler="query-frontend"')}[$__rate_interval])))`,
              legend: 'p99',
            },
          ],
        },
      ],
    });
  }
  return {
    uid: 'thanos-ha-query',
    title: 'Thanos HA / Query',
    description: 'Thanos Query and Query Frontend: request rates, errors, latency and the StoreAPI endpoints behind them.',
    rows,
  };
}
