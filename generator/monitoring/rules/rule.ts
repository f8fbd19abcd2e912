import { JOBS } from '../scrape.js';
import { sel, type RuleGroup } from './types.js';

const job = JOBS.rule;
const BY = 'job, namespace, pod';

export function rulerRules(): RuleGroup {
  return {
    name: 'thanos-rule',
    rules: [
      {
        alert: 'ThanosRuleEvaluationFailures',
        expr: `sum by (${BY}) (increase(${sel('prometheus_rule_evaluation_failures_total', job)}[5m])) > 0`,
        for: '10m',
        severity: 'critical',
        summary: 'Thanos Ruler {{ $labels.pod }} fails to evaluate rules.',
        description:
          'Rule evaluations fail in Thanos Ruler {{ $labels.pod }}: the global alerts in the failing groups cannot fire. Usually Query is failing or too slow; see the Ruler log.',
        window: 'fires within 20m of evaluations starting to fail',
        runbook: {
          meaning: 'The Ruler evaluates through Thanos Query; failing evaluations mean its alerts and recording rules are missing.',
          confirm: [
            `sum by (rule_group) (increase(prometheus_rule_evaluation_failures_total{job="${job}"}[15m]))`,
            'kubectl -n <namespace> logs thanos-rule-0 -c thanos-rule | grep -i -E "eval|query"',
          ],
          fix: ['Query errors or timeouts: see the Thanos Query alerts.', 'A bad rule: fix it and test it with promtool test rules.'],
          escalate: 'Page if all groups fail: global alerting is down.',
        },
      },
      {
        alert: 'ThanosRuleMissedEvaluations',
        expr: `sum by (${BY}) (increase(${sel('prometheus_rule_group_iterations_missed_total', job)}[10m])) > 0`,
        for: '10m',
        severity: 'warning',
        summary: 'Thanos Ruler {{ $labels.pod }} misses rule evaluations.',
        description:
          'Rule groups in Thanos Ruler {{ $labels.pod }} take longer than their interval and skip evaluations. Look at prometheus_rule_group_last_duration_seconds and Query latency.',
        window: 'fires within 20m of missed evaluations',
        runbook: {
          meaning: 'A group did not finish before its next evaluation was due; alerts react late.',
          confirm: [`prometheus_rule_group_last_duration_seconds{job="${job}"} > prometheus_rule_group_interval_seconds{job="${job}"}`],
          fix: ['Slow queries: see ThanosQueryLatencyHigh; split the slow group or raise its interval.'],
          escalate: 'Escalate if critical alerts are in the slow groups.',
        },
      },
      {
        alert: 'ThanosRuleQueueDropping',
        expr: `sum by (${BY}) (increase(${sel('thanos_alert_queue_alerts_dropped_total', job)}[5m])) > 0`,
        for: '5m',
        severity: 'critical',
        summary: 'Thanos Ruler {{ $labels.pod }} drops alerts from its queue.',
        description:
          'The alert queue of Thanos Ruler {{ $labels.pod }} overflows and drops alerts before sending them. Check Alertmanager reachability and the number of firing alerts.',
        window: 'fires within 15m of the first dropped alert',
        runbook: {
          meaning: 'Alerts are thrown away before they reach Alertmanager.',
          confirm: [`increase(thanos_alert_queue_alerts_dropped_total{job="${job}"}[15m])`],
          fix: ['Alertmanager unreachable: see ThanosRuleSenderFailing.', 'An alert storm: find the rule that fires thousands of alerts.'],
          escalate: 'Page the platform on-call: alerts are lost.',
        },
      },
      {
        alert: 'ThanosRuleSenderFailing',
        expr: `sum by (${BY}) (increase(${sel('thanos_alert_sender_alerts_dropped_total', job)}[5m])) > 0`,
        for: '5m',
        severity: 'critical',
        summary: 'Thanos Ruler {{ $labels.pod }} fails to send alerts to Alertmanager.',
        description:
          'Thanos Ruler {{ $labels.pod }} drops alerts because no Alertmanager accepted them. Check the alertmanager Service, its SRV record and the NetworkPolicy thanos-rule.',
        window: 'fires within 15m of sends starting to fail',
        runbook: {
          meaning: 'The Ruler cannot deliver alerts: global alerts reach nobody.',
          confirm: [
            `increase(thanos_alert_sender_alerts_dropped_total{job="${job}"}[15m])`,
            `rate(thanos_alert_sender_errors_total{job="${job}"}[5m])`,
            'kubectl -n <namespace> logs thanos-rule-0 -c thanos-rule | grep -i alertmanager',
          ],
          fix: [
            'Alertmanager down: see AlertmanagerAbsent.',
            'DNS: the Ruler resolves dnssrv+_web._tcp.alertmanager.<namespace>.svc; the Service must have a port named web.',
            'An external Alertmanager: check the URLs and egress from the Ruler.',
          ],
          escalate: 'Page the platform on-call: global alerting is down.',
        },
      },
      {
        alert: 'ThanosRuleConfigReloadFailed',
        expr: `max_over_time(${sel('thanos_rule_config_last_reload_successful', job)}[5m]) == 0`,
        for: '10m',
        severity: 'warning',
        summary: 'Thanos Ruler {{ $labels.pod }} cannot load its rules.',
        description:
          'The last rules reload of Thanos Ruler {{ $labels.pod }} failed; it runs the previous rules. Read its log and run promtool check rules on the change.',
        window: 'fires within 20m of a bad reload',
        runbook: {
          meaning: 'A rules change did not take effect (the config-reloader triggered /-/reload and the Ruler rejected the files).',
          confirm: [
            `thanos_rule_config_last_reload_successful{job="${job}"}`,
            'kubectl -n <namespace> logs thanos-rule-0 -c thanos-rule | grep -i reload',
          ],
          fix: ['Fix the rule file (npm run check runs promtool check rules on it), commit, let GitOps sync.'],
          escalate: 'Not urgent on its own.',
        },
      },
    ],
  };
}
