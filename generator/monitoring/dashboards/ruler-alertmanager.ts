import { JOBS } from '../scrape.js';
import { m, type DashboardSpec, type Row } from './panels.js';

const RU = JOBS.rule;
const AM = JOBS.alertmanager;
const P = JOBS.prometheus;

export function alertingDashboard(withRuler: boolean, withAlertmanager: boolean): DashboardSpec {
  const rows: Row[] = [
    {
      title: 'Prometheus to Alertmanager',
      panels: [
        {
          title: 'Alerts sent per replica',
          description: 'Alerts each Prometheus replica sends; both send the same alerts (Alertmanager deduplicates them).',
          unit: 'short',
          queries: [{ expr: `sum by (pod) (rate(${m('prometheus_notifications_sent_total', P)}[$__rate_interval]))`, legend: '{{pod}}' }],
        },
        {
          title: 'Failed and dropped alerts',
          description: 'Alerts that failed to reach an Alertmanager, and alerts dropped altogether.',
          unit: 'short',
          queries: [
            { expr: `sum by (pod) (rate(${m('prometheus_notifications_errors_total', P)}[$__rate_interval]))`, legend: 'errors {{pod}}' },
            { expr: `sum by (pod) (rate(${m('prometheus_notifications_dropped_total', P)}[$__rate_interval]))`, legend: 'dropped {{pod}}' },
          ],
        },
        {
          title: 'Alertmanagers discovered',
          description: 'Alertmanager replicas each Prometheus sends to; 0 fires PrometheusAlertmanagerDiscoveryEmpty.',
          unit: 'short',
          queries: [{ expr: `max by (pod) (${m('prometheus_notifications_alertmanagers_discovered', P)})`, legend: '{{pod}}' }],
        },
      ],
    },
  ];
  if (withRuler) {
    rows.push({
      title: 'Thanos Ruler',
      panels: [
        {
          title: 'Rule evaluations and failures',
          description: 'Evaluations per second and the failing ones (ThanosRuleEvaluationFailures).',
          unit: 'ops',
          queries: [
            { expr: `sum(rate(${m('prometheus_rule_evaluations_total', RU)}[$__rate_interval]))`, legend: 'evaluations' },
            { expr: `sum(rate(${m('prometheus_rule_evaluation_failures_total', RU)}[$__rate_interval]))`, legend: 'failures' },
          ],
        },
        {
          title: 'Group duration vs interval',
          description: 'How long each rule group takes; above its interval it misses evaluations.',
          unit: 's',
          queries: [
            { expr: `max by (rule_group) (${m('prometheus_rule_group_last_duration_seconds', RU)})`, legend: '{{rule_group}}' },
            { expr: `max by (rule_group) (${m('prometheus_rule_group_interval_seconds', RU)})`, legend: 'interval {{rule_group}}' },
          ],
        },
        {
          title: 'Alerts sent and dropped',
          description: 'Alerts the Ruler sends to Alertmanager and those it drops.',
          unit: 'short',
          queries: [
            { expr: `sum(rate(${m('thanos_alert_sender_alerts_sent_total', RU)}[$__rate_interval]))`, legend: 'sent' },
            { expr: `sum(rate(${m('thanos_alert_sender_alerts_dropped_total', RU)}[$__rate_interval]))`, legend: 'dropped' },
          ],
        },
      ],
    });
  }
  if (withAlertmanager) {
    rows.push({
      title: 'Alertmanager',
      panels: [
        {
          title: 'Cluster members',
          description: 'Members each replica sees in the gossip cluster; all should show the replica count.',
          unit: 'short',
          queries: [{ expr: `max by (pod) (${m('alertmanager_cluster_members', AM)})`, legend: '{{pod}}' }],
        },
        {
          title: 'Notifications and failures by integration',
          description: 'Notifications sent per integration and the failing ones (AlertmanagerNotificationsFailing).',
          unit: 'short',
          queries: [
            {
              expr: `sum by (integration) (rate(${m('alertmanager_notifications_total', AM)}[$__rate_interval]))`,
              legend: '{{integration}}',
            },
            {
              expr: `sum by (integration) (rate(${m('alertmanager_notifications_failed_total', AM)}[$__rate_interval]))`,
              legend: 'failed {{integration}}',
            },
          ],
        },
        {
          title: 'Alerts held',
          description: 'Alerts each replica holds, by state (active, suppressed by silences or inhibitions).',
          unit: 'short',
          queries: [{ expr: `max by (state) (${m('alertmanager_alerts', AM)})`, legend: '{{state}}' }],
        },
      ],
    });
  }
  return {
    uid: 'thanos-ha-alerting',
    title: 'Thanos HA / Ruler and Alertmanager',
    description: 'The alerting path: Prometheus and the Ruler sending alerts, and the Alertmanager cluster delivering them.',
    rows,
  };
}
