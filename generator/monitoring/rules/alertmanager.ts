import { JOBS } from '../scrape.js';
import { ratio, sel, type AlertRule, type RuleContext, type RuleGroup } from './types.js';

const job = JOBS.alertmanager;

export function alertmanagerRules({ stack }: RuleContext): RuleGroup {
  const replicas = stack.alertmanager.replicas;
  const rules: AlertRule[] = [];
  if (replicas > 1) {
    rules.push({
      alert: 'AlertmanagerClusterMembersMissing',
      expr: `min by (job, namespace) (${sel('alertmanager_cluster_members', job)}) < ${replicas}`,
      for: '10m',
      severity: 'warning',
      summary: `The Alertmanager cluster has fewer than ${replicas} members.`,
      description: `An Alertmanager replica in {{ $labels.namespace }} sees fewer than ${replicas} cluster members: a replica is down or gossip (TCP and UDP 9094) is blocked, and notifications may be duplicated or silences not shared.`,
      window: 'fires within 15m of a member leaving; a rolling restart stays silent',
      runbook: {
        meaning:
          'Replicas form a gossip cluster to share silences and decide who notifies. A missing member means less redundancy; a split cluster sends duplicate notifications.',
        confirm: [
          `alertmanager_cluster_members{job="${job}"}`,
          'kubectl -n <namespace> get pods -l app.kubernetes.io/name=alertmanager -o wide',
          'Alertmanager UI, Status: the peer list',
        ],
        fix: [
          'A pod down or pending (required anti-affinity needs one node per replica): see its events.',
          'All pods up but members missing: gossip blocked; the NetworkPolicy alertmanager must admit TCP and UDP 9094 between its pods.',
        ],
        escalate: 'Escalate if only one member is left.',
      },
    });
  }
  rules.push(
    {
      alert: 'AlertmanagerNotificationsFailing',
      expr: `${ratio(sel('alertmanager_notifications_failed_total', job), sel('alertmanager_notifications_total', job), 'job, namespace, integration')} > 0.01`,
      // Notifications are few: one failed retry must not page, ten minutes of failures must.
      for: '10m',
      severity: 'critical',
      summary: 'Alertmanager fails to deliver notifications through {{ $labels.integration }}.',
      description:
        'More than 1% of the notifications Alertmanager in {{ $labels.namespace }} sends through {{ $labels.integration }} fail: people are not being told. Check the receiver URL or key in the alertmanager-config Secret.',
      window: 'fires within 15m of deliveries starting to fail',
      runbook: {
        meaning:
          "Alertmanager reaches its receivers but they refuse or time out: notifications are lost. This alert itself may fail to arrive through the same integration; the dead-man's switch covers that.",
        confirm: [
          `sum by (integration, reason) (rate(alertmanager_notifications_failed_total{job="${job}"}[5m]))`,
          'kubectl -n <namespace> logs alertmanager-0 -c alertmanager | grep -i -E "notify|error"',
        ],
        fix: [
          '401/403: the webhook key or routing key expired: update it in the secret store (docs/alerting.md); the reloader applies it.',
          'Timeouts: egress from the namespace to the receiver is blocked, or the service is down.',
        ],
        escalate: 'Page through another channel (phone the on-call) if the pager integration itself fails.',
      },
    },
    {
      alert: 'AlertmanagerConfigReloadFailed',
      expr: `max_over_time(${sel('alertmanager_config_last_reload_successful', job)}[5m]) == 0`,
      for: '10m',
      severity: 'warning',
      summary: 'Alertmanager {{ $labels.pod }} cannot load its configuration.',
      description:
        'Alertmanager {{ $labels.pod }} rejected its configuration and runs the previous one: the receiver or route change is not in effect. Run amtool check-config on it.',
      window: 'fires within 20m of a bad reload',
      runbook: {
        meaning: 'The alertmanager.yaml in the Secret alertmanager-config does not load; the previous routes and receivers stay in effect.',
        confirm: [
          `alertmanager_config_last_reload_successful{job="${job}"}`,
          'kubectl -n <namespace> logs alertmanager-0 -c alertmanager | grep -i "loading configuration"',
          'amtool check-config <your copy of alertmanager.yaml>',
        ],
        fix: ["Fix the file, store it again through the overlay's secrets mode (docs/alerting.md); the config-reloader applies it."],
        escalate: 'Not urgent on its own, unless the change was meant to fix a broken receiver.',
      },
    },
  );
  return { name: 'alertmanager', rules };
}
