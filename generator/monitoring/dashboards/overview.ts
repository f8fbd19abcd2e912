import { JOBS } from '../scrape.js';
import { m, type DashboardSpec } from './panels.js';

const P = JOBS.prometheus;
const S = JOBS.sidecar;

/** The HA pair: is each replica up, collecting the same data, uploading; which replica answers queries. */
export function overviewDashboard(): DashboardSpec {
  return {
    uid: 'thanos-ha-overview',
    title: 'Thanos HA / Overview',
    description:
      'The Prometheus HA pair behind Thanos: replicas up, what each collects, which one answers queries, uploads and firing alerts.',
    rows: [
      {
        title: 'The Prometheus pair',
        panels: [
          {
            kind: 'stat',
            title: 'Replicas up',
            description:
              'Prometheus replicas whose scrape by a peer succeeds. Fewer than the replica count: no high availability (PrometheusReplicaMissing).',
            unit: 'short',
            queries: [{ expr: `count(${m('up', P)} == 1)`, legend: 'up' }],
          },
          {
            title: 'Up per replica',
            description:
              "Each replica as its peers see it; a dip to 0 is a gap in that replica's data, which Query fills from the other replica.",
            unit: 'short',
            queries: [{ expr: `max by (pod) (${m('up', P)})`, legend: '{{pod}}' }],
          },
          {
            title: 'Failed scrapes per replica',
            description:
              'Share of failed self-monitoring scrapes per replica: the size of its gaps, which deduplication hides as long as the other replica has the data.',
            unit: 'percentunit',
            queries: [{ expr: `1 - avg by (pod) (avg_over_time(${m('up', P)}[$__rate_interval]))`, legend: '{{pod}}' }],
          },
          {
            title: 'Samples appended per replica',
            description:
              'Both replicas scrape the same targets, so the lines should match; one lower than the other collects less (a failing scrape, a missing target).',
            unit: 'short',
            queries: [
              { expr: `sum by (pod) (rate(${m('prometheus_tsdb_head_samples_appended_total', P)}[$__rate_interval]))`, legend: '{{pod}}' },
            ],
          },
          {
            title: 'Head series per replica',
            description: 'Active series per replica; the two should be close. A jump is a new target or a label explosion.',
            unit: 'short',
            queries: [{ expr: `max by (pod) (${m('prometheus_tsdb_head_series', P)})`, legend: '{{pod}}' }],
          },
          {
            title: 'Which replica answers queries',
            description:
              'StoreAPI Series calls each sidecar serves. Query asks both replicas and deduplicates; a replica at 0 is not being asked (down, or unreachable from Query).',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (pod) (rate(${m('grpc_server_handled_total', S, 'grpc_method="Series"')}[$__rate_interval]))`,
                legend: '{{pod}}',
              },
            ],
          },
        ],
      },
      {
        title: 'Uploads and alerts',
        panels: [
          {
            title: 'Blocks uploaded per replica (1h)',
            description:
              'Blocks each sidecar uploaded in the last hour; one per block period (2h) is normal. None for 3h fires ThanosSidecarNoUpload.',
            unit: 'short',
            queries: [{ expr: `sum by (pod) (increase(${m('thanos_shipper_uploads_total', S)}[1h]))`, legend: '{{pod}}' }],
          },
          {
            title: 'Sidecar connected to Prometheus',
            description: '1 while the sidecar reaches its Prometheus; 0 during a restart (WAL replay) is normal for a few minutes.',
            unit: 'short',
            queries: [{ expr: `max by (pod) (${m('thanos_sidecar_prometheus_up', S)})`, legend: '{{pod}}' }],
          },
          {
            title: 'Firing alerts',
            description: 'Alerts firing now, by name and severity (the Watchdog always fires).',
            unit: 'short',
            queries: [
              {
                expr: 'sum by (alertname, severity) (ALERTS{alertstate="firing", cluster=~"$cluster"})',
                legend: '{{alertname}} ({{severity}})',
              },
            ],
          },
        ],
      },
    ],
  };
}
