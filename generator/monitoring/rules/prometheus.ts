import { JOBS } from '../scrape.js';
import { NOTIFICATIONS_FAILING_ALERT, NOTIFICATIONS_FAILING_ONE_ALERTMANAGER_ALERT, WATCHDOG_ALERT } from '../alert-names.js';
import { RATE_WINDOW, sel, type AlertRule, type RuleContext, type RuleGroup } from './types.js';

const job = JOBS.prometheus;
const BY = 'namespace, pod';

/**
 * Share of the alerts sent to each Alertmanager that failed. From v3.10 `sent` counts delivered
 * alerts only and `errors` the alerts of each failed batch (prometheus v3.13.2
 * notifier/sendloop.go:238-246), so the share is errors / (errors + sent); errors / sent would be
 * +Inf for a dead Alertmanager and above 1 for a flaky one.
 */
const PER_ALERTMANAGER_ERROR_SHARE = (() => {
  const rate = (metric: string) => `sum by (${BY}, alertmanager) (rate(${sel(metric, job)}[${RATE_WINDOW}]))`;
  const errors = rate('prometheus_notifications_errors_total');
  return `(${errors} / (${errors} + ${rate('prometheus_notifications_sent_total')}))`;
})();

/** The always-firing alert that proves the whole path to the receivers works. */
export function watchdogRule(): AlertRule {
  return {
    alert: WATCHDOG_ALERT,
    expr: 'vector(1)',
    severity: 'none',
    summary: 'The alerting path works: this alert always fires.',
    description:
      "Always firing. Route it to an external dead-man's switch, which pages when it stops arriving: that is how a broken alerting path is noticed.",
    window: "always firing; its absence at the dead-man's switch is the signal",
    runbook: {
      meaning:
        "Nothing is wrong: the Watchdog always fires. It is a heartbeat for a dead-man's switch outside the cluster, which pages when the heartbeat stops (Prometheus down, Alertmanager down, a broken receiver, a NetworkPolicy).",
      confirm: [
        'ALERTS{alertname="Watchdog"}',
        'kubectl -n <namespace> port-forward svc/alertmanager 9093, then open http://localhost:9093/#/alerts?filter={alertname="Watchdog"}',
      ],
      fix: [
        'If the dead-man\'s switch paged: find where the path breaks, in order: is Prometheus up (`up{job="prometheus"}`), does it reach Alertmanager (`prometheus_notifications_alertmanagers_discovered`, `rate(prometheus_notifications_errors_total[5m])`), does Alertmanager notify (`rate(alertmanager_notifications_failed_total[5m])`), is the dead-man\'s switch receiver URL right (`amtool config routes test alertname=Watchdog`).',
        'Never silence the Watchdog except to test the switch (docs/alerting.md).',
      ],
      escalate:
        'If the path cannot be restored within 30 minutes, tell the team that alerting is down and watch the dashboards by hand until it is back.',
    },
  };
}

export function prometheusRules({ stack }: RuleContext): RuleGroup {
  const replicas = stack.prometheus.replicas;
  const rules: AlertRule[] = [];
  if (replicas > 1) {
    rules.push({
      alert: 'PrometheusReplicaMissing',
      // Each replica scrapes every replica through its pod IP, so the survivor sees its peer go.
      // Counted per pod, so the same replica seen by both peers (or through Query) counts once.
      expr: `count(max by (pod) (${sel('up', job)}) == 1) < ${replicas}`,
      for: '5m',
      severity: 'warning',
      summary: `Fewer than ${replicas} Prometheus replicas are up: metrics are no longer highly available.`,
      description: `Fewer than ${replicas} Prometheus replicas answer their scrape. Look at the prometheus pods (kubectl get pods -l app.kubernetes.io/name=prometheus) and their events.`,
      window:
        'fires within 10m of a replica going away (5m for, a scrape interval and an evaluation); a rolling restart under 5m per pod stays silent',
      runbook: {
        meaning: `One of the ${replicas} Prometheus replicas is not being scraped successfully by its peers: it is down, pending, crash-looping or unreachable. The survivor still collects everything, but a second failure loses data, and Query has nothing to deduplicate against.`,
        confirm: [
          `up{job="${job}"}`,
          'kubectl -n <namespace> get pods -l app.kubernetes.io/name=prometheus -o wide',
          'kubectl -n <namespace> describe pod <missing pod>',
        ],
        fix: [
          'Pending: a node with room is missing (required anti-affinity puts replicas on different nodes) or its volume cannot attach; check events and node capacity.',
          'CrashLoopBackOff / OOMKilled: read `kubectl logs --previous`; raise the memory limit in the overlay (`overrides.prometheus.resources`) or find the scrape target that added series.',
          "Running but not scraped: check the NetworkPolicy prometheus (ingress from prometheus pods on 9090) and the pod's readiness.",
        ],
        escalate:
          'If the replica is not back within an hour, or the remaining replica also shows problems, escalate to the platform on-call: a second failure loses metrics.',
      },
    });
  }
  rules.push(
    {
      alert: 'PrometheusConfigReloadFailed',
      expr: `max_over_time(${sel('prometheus_config_last_reload_successful', job)}[5m]) == 0`,
      for: '10m',
      severity: 'warning',
      summary: 'Prometheus {{ $labels.pod }} cannot load its configuration.',
      description:
        'Prometheus {{ $labels.pod }} rejected its last configuration or rules reload and runs the previous one. Read its log for "Error reloading config".',
      window: 'fires within 20m of a bad reload',
      runbook: {
        meaning:
          'The last reload of prometheus.yaml or a rules file failed; Prometheus keeps running the previous configuration, so the change you made is not in effect.',
        confirm: [
          `prometheus_config_last_reload_successful{job="${job}"}`,
          'kubectl -n <namespace> logs <pod> -c prometheus | grep -i "reload"',
          'promtool check config / promtool check rules on the rendered files',
        ],
        fix: [
          'Fix the rules or config change (npm run check runs promtool on every rendered rules file), commit, let GitOps sync; the sidecar reloads Prometheus.',
        ],
        escalate: 'Not urgent on its own; escalate if alerts you rely on are in the change that failed.',
      },
    },
    {
      alert: NOTIFICATIONS_FAILING_ALERT,
      // Critical only when every Alertmanager this replica sends to fails: the others still deliver
      // every alert when one is down (the warning below names it).
      expr: `min by (${BY}) (${PER_ALERTMANAGER_ERROR_SHARE}) > 0.01`,
      for: '5m',
      severity: 'critical',
      summary: 'Prometheus {{ $labels.pod }} fails to send alerts to every Alertmanager.',
      description:
        'More than 1% of the alerts Prometheus {{ $labels.pod }} sends fail at every Alertmanager it knows: alerts may reach nobody. Check the Alertmanager pods and the NetworkPolicy alertmanager.',
      window: 'fires within 15m of sends starting to fail at every Alertmanager; one Alertmanager down stays a warning',
      runbook: {
        meaning:
          "Prometheus cannot deliver alerts to any Alertmanager replica: no alert from this replica reaches anyone. This alert itself may not arrive, which is why the Watchdog and a dead-man's switch exist.",
        confirm: [
          `sum by (alertmanager) (rate(prometheus_notifications_errors_total{job="${job}"}[5m]))`,
          `prometheus_notifications_alertmanagers_discovered{job="${job}"}`,
          'kubectl -n <namespace> logs <pod> -c prometheus | grep -i notifier',
        ],
        fix: [
          'Alertmanager pods down or not ready: `kubectl -n <namespace> get pods -l app.kubernetes.io/name=alertmanager`; a missing alertmanager-config Secret keeps them in ContainerCreating.',
          'Connection refused or timeouts: check the NetworkPolicy alertmanager (ingress from prometheus on 9093).',
          'An external Alertmanager: check the URLs in settings/overlays.ts (alertmanager.external.urls) and reachability from the namespace.',
        ],
        escalate: 'Immediately if the errors are at 100% on every replica: alerting is down. Page the platform on-call.',
      },
    },
    {
      alert: NOTIFICATIONS_FAILING_ONE_ALERTMANAGER_ALERT,
      expr: `${PER_ALERTMANAGER_ERROR_SHARE} > 0.01`,
      for: '15m',
      severity: 'warning',
      summary: 'Prometheus {{ $labels.pod }} fails to send alerts to Alertmanager {{ $labels.alertmanager }}.',
      description:
        'More than 1% of the alerts Prometheus {{ $labels.pod }} sends to {{ $labels.alertmanager }} fail. The other Alertmanagers still deliver; check that replica and its pod.',
      window: 'fires within 25m of sends to one Alertmanager starting to fail',
      runbook: {
        meaning:
          'One Alertmanager replica refuses or does not answer; the others of the gossip cluster receive every alert and deliver it, so nothing is lost yet, but one more failure and alerting depends on a single replica.',
        confirm: [
          `sum by (alertmanager) (rate(prometheus_notifications_errors_total{job="${job}"}[5m]))`,
          'kubectl -n <namespace> get pods -l app.kubernetes.io/name=alertmanager -o wide',
        ],
        fix: [
          'Pod crash-looping or pending: read its events and `kubectl logs --previous`.',
          'Running but refusing: its log (configuration reload errors, a full volume).',
        ],
        escalate: 'Working hours; page if a second Alertmanager fails (PrometheusNotificationsFailing fires then).',
      },
    },
    {
      alert: 'PrometheusNotificationsDropped',
      // From v3.10 each Alertmanager has its own queue and send loop, and a batch one of them refuses
      // is counted dropped for it alone (prometheus v3.13.2 notifier/sendloop.go:175-181, the
      // alertmanager label at notifier/metric.go:73-78); before, and in 2.x, only when none took it.
      // The minimum over Alertmanagers keeps the page for alerts that no Alertmanager got.
      expr: `min by (${BY}) (increase(${sel('prometheus_notifications_dropped_total', job)}[5m])) > 0`,
      for: '5m',
      severity: 'critical',
      summary: 'Prometheus {{ $labels.pod }} drops alerts that no Alertmanager accepted.',
      description:
        'Prometheus {{ $labels.pod }} dropped alerts at every Alertmanager: its queues overflowed or every Alertmanager refused them. Check Alertmanager and prometheus_notifications_queue_length.',
      window: 'fires within 15m of alerts being dropped at every Alertmanager; drops at one Alertmanager stay silent',
      runbook: {
        meaning:
          'Alerts were thrown away at every Alertmanager: either none accepted them or the notification queues were full. Those alerts are lost for this replica.',
        confirm: [
          `sum by (alertmanager) (increase(prometheus_notifications_dropped_total{job="${job}"}[15m]))`,
          `prometheus_notifications_queue_length{job="${job}"}`,
          `prometheus_notifications_queue_capacity{job="${job}"}`,
        ],
        fix: [
          'Restore delivery first (see PrometheusNotificationsFailing).',
          'A full queue with healthy Alertmanagers: an alert storm; find the rule producing thousands of alerts (`count by (alertname) (ALERTS)`) and fix it.',
        ],
        escalate: 'Page the platform on-call if drops continue for 15 minutes: alerts are being lost.',
      },
    },
    {
      alert: 'PrometheusAlertmanagerDiscoveryEmpty',
      expr: `max_over_time(${sel('prometheus_notifications_alertmanagers_discovered', job)}[5m]) < 1`,
      for: '10m',
      severity: 'critical',
      summary: 'Prometheus {{ $labels.pod }} knows no Alertmanager.',
      description:
        'Prometheus {{ $labels.pod }} has discovered no Alertmanager for 10 minutes: every alert it fires goes nowhere. Check the alertmanager Service and its endpoint slices.',
      window: 'fires within 15m of discovery becoming empty',
      runbook: {
        meaning:
          'Kubernetes discovery (role endpointslice on the alertmanager headless Service) returns nothing, or the external URL list is empty: alerts are not sent at all.',
        confirm: [
          `prometheus_notifications_alertmanagers_discovered{job="${job}"}`,
          'kubectl -n <namespace> get endpointslices -l kubernetes.io/service-name=alertmanager',
          'Prometheus UI, Status > Runtime & Build Information, Alertmanagers',
        ],
        fix: [
          'No Alertmanager pods: see AlertmanagerAbsent.',
          'Pods exist: check the Prometheus ClusterRole can list endpointslices and that the Service selector matches the pods.',
        ],
        escalate: 'Page the platform on-call: alerting from this replica is down.',
      },
    },
    {
      alert: 'PrometheusRuleEvaluationFailures',
      expr: `sum by (${BY}) (increase(${sel('prometheus_rule_evaluation_failures_total', job)}[5m])) > 0`,
      for: '15m',
      severity: 'critical',
      summary: 'Prometheus {{ $labels.pod }} fails to evaluate rules.',
      description:
        'Rule evaluations fail on Prometheus {{ $labels.pod }}: alerts of the failing groups cannot fire. See the rule_group label of prometheus_rule_evaluation_failures_total.',
      window: 'fires within 25m of evaluations starting to fail',
      runbook: {
        meaning: 'Some rules fail every evaluation (a query error, a timeout, many-to-many matching). The alerts in them never fire.',
        confirm: [
          `sum by (rule_group) (increase(prometheus_rule_evaluation_failures_total{job="${job}"}[15m]))`,
          'Prometheus UI, Status > Rules: the failing rule shows its error',
          'kubectl -n <namespace> logs <pod> -c prometheus | grep -i "evaluating rule"',
        ],
        fix: [
          'Fix the expression named in the error (usually a label join that became many-to-many after a new target appeared), then commit; unit-test it with promtool test rules.',
        ],
        escalate: 'Escalate to the team owning the rule group if it is not ours; page if our own alert groups fail.',
      },
    },
    {
      alert: 'PrometheusTSDBCompactionsFailing',
      expr: `sum by (${BY}) (increase(${sel('prometheus_tsdb_compactions_failed_total', job)}[3h])) > 0`,
      for: '15m',
      severity: 'warning',
      summary: 'Prometheus {{ $labels.pod }} fails to write TSDB blocks.',
      description:
        'Prometheus {{ $labels.pod }} failed to persist its head into a block: no block means nothing for the sidecar to upload. Check disk space and the log.',
      window: 'fires within 30m of a failed compaction',
      runbook: {
        meaning:
          'Writing the in-memory head into a 2h block failed (disk full, I/O errors, corruption). Memory grows and nothing reaches object storage.',
        confirm: [
          `increase(prometheus_tsdb_compactions_failed_total{job="${job}"}[3h])`,
          'kubectl -n <namespace> logs <pod> -c prometheus | grep -i compact',
          'kubectl -n <namespace> exec <pod> -c prometheus -- df -h /prometheus',
        ],
        fix: [
          'Disk full: grow the PVC (overrides.prometheus.storageSize, then resize the PVC) or shorten retention (overrides.prometheus.retention or retentionSizePercent in settings/overlays.ts).',
          'Corruption: delete the broken block directory named in the log (the sidecar has uploaded it or the peer replica has the data), restart the pod.',
        ],
        escalate: 'If blocks keep failing for more than one block period (2h), escalate: uploads have stopped.',
      },
    },
    {
      alert: 'PrometheusTSDBWALFailing',
      expr:
        `sum by (${BY}) (increase(${sel('prometheus_tsdb_wal_writes_failed_total', job)}[10m])) > 0` +
        ` or sum by (${BY}) (increase(${sel('prometheus_tsdb_wal_corruptions_total', job)}[10m])) > 0`,
      for: '5m',
      severity: 'critical',
      summary: 'Prometheus {{ $labels.pod }} cannot write its write-ahead log.',
      description:
        'WAL writes fail or the WAL is corrupt on Prometheus {{ $labels.pod }}: samples are lost on the next restart. Check the volume.',
      window: 'fires within 15m of a failed WAL write',
      runbook: {
        meaning:
          'The write-ahead log protects the last 2h of samples across restarts. Failing writes mean that data would be lost in a crash.',
        confirm: [
          `increase(prometheus_tsdb_wal_writes_failed_total{job="${job}"}[10m])`,
          `increase(prometheus_tsdb_wal_corruptions_total{job="${job}"}[10m])`,
          'kubectl -n <namespace> exec <pod> -c prometheus -- df -h /prometheus',
        ],
        fix: [
          'Disk full or read-only: free or grow the volume.',
          'Corruption after a crash: Prometheus repairs what it can at start; if it keeps failing, delete the WAL (data since the last block is lost on this replica only; the peer still has it).',
        ],
        escalate: 'Page the platform on-call if both replicas show it: data loss is then real.',
      },
    },
    {
      alert: 'TargetDown',
      expr: '100 * (count by (job, namespace) (up == 0) / count by (job, namespace) (up)) > 10',
      for: '10m',
      severity: 'warning',
      summary: '{{ $labels.job }}: more than 10% of its targets are down.',
      description:
        'More than 10% of the {{ $labels.job }} targets in {{ $labels.namespace }} fail their scrape. See Status > Targets in the Prometheus UI.',
      window: 'fires within 15m of targets going down; a rolling restart under 10m stays silent',
      runbook: {
        meaning:
          'Prometheus cannot scrape part of a job: the pods are down, unready for a long time, or blocked by a NetworkPolicy. Their metrics, and alerts on them, are missing.',
        confirm: ['up{job="<job>"} == 0', 'Prometheus UI, Status > Targets: the error column says why (connection refused, timeout, 403)'],
        fix: [
          "Pods down: see the component's own alerts and `kubectl get pods`.",
          'Connection refused / timeout with pods running: the NetworkPolicy of the component must admit Prometheus on its metrics port.',
        ],
        escalate: 'Escalate to the owner of the job if it is not part of this stack.',
      },
    },
    {
      alert: 'MonitoringVolumeAlmostFull',
      // kubelet volume stats, restricted to the namespace this stack runs in (the namespace label of its own targets).
      expr:
        'kubelet_volume_stats_available_bytes{persistentvolumeclaim=~"data-(prometheus|thanos-.+|alertmanager)-[0-9]+"}' +
        ' / kubelet_volume_stats_capacity_bytes{persistentvolumeclaim=~"data-(prometheus|thanos-.+|alertmanager)-[0-9]+"} < 0.10' +
        ` and on (namespace) group by (namespace) (${sel('up', job)})`,
      for: '15m',
      severity: 'warning',
      summary: 'Volume {{ $labels.persistentvolumeclaim }} is more than 90% full.',
      description:
        'PVC {{ $labels.persistentvolumeclaim }} in {{ $labels.namespace }} has less than 10% free space. A full Prometheus or Receive volume stops ingestion; a full Compact volume halts compaction.',
      window: 'fires within 20m of crossing 90% (needs the kubelet scrape job)',
      runbook: {
        meaning: 'A data volume of the stack is almost full. Prometheus and Receive stop writing when it is full; Compact halts.',
        confirm: [
          'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes',
          'kubectl -n <namespace> exec <pod> -- df -h',
        ],
        fix: [
          'Grow the PVC (set the storageSize override for the component, and resize the existing PVC if the StorageClass allows expansion).',
          'Prometheus: shorten local retention (overrides.prometheus.retention or retentionSizePercent; blocks are in the bucket already). Compact: it needs about 100Gi per unit of concurrency at scale.',
        ],
        escalate: 'If it reaches 95% before a resize is possible, escalate: ingestion stops when it is full.',
      },
    },
  );
  return { name: 'prometheus', rules };
}
