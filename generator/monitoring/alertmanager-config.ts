import { stringify } from '../../core/yaml.js';
import { NOTIFICATIONS_FAILING_ALERT, NOTIFICATIONS_FAILING_ONE_ALERTMANAGER_ALERT, WATCHDOG_ALERT } from './alert-names.js';

/**
 * Alertmanager's configuration file (routes, receivers, inhibitions), typed to what the examples
 * use. https://prometheus.io/docs/alerting/latest/configuration/
 */
export interface Route {
  readonly receiver?: string;
  readonly matchers?: readonly string[];
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly continue?: boolean;
  readonly routes?: readonly Route[];
}

export interface Receiver {
  readonly name: string;
  readonly webhook_configs?: ReadonlyArray<{ readonly url: string; readonly send_resolved?: boolean }>;
  readonly pagerduty_configs?: ReadonlyArray<{ readonly routing_key: string }>;
}

export interface AlertmanagerFile {
  readonly route: Route;
  readonly receivers: readonly Receiver[];
  readonly inhibit_rules?: ReadonlyArray<{
    readonly source_matchers: readonly string[];
    readonly target_matchers: readonly string[];
    readonly equal: readonly string[];
  }>;
}

/**
 * The Watchdog route's timing, and when its heartbeat really arrives. A repeat is due when the last
 * notification-log entry is older than repeat_interval; the entry is stamped with the wall clock
 * after sending (alertmanager v0.32.1, the pinned release, nflog/nflog.go:470, :498), and v0.32 compares it with the
 * flush time (notify/notify.go:813-817, :748), older releases with the wall clock. Peer k of a gossip
 * cluster waits k × --cluster.peer-timeout (15s) before it may send (cmd/alertmanager/main.go:166,
 * :641-643). With repeat_interval = group_interval a lone sender repeats only every second flush; a
 * repeat_interval above (peers - 1) × 15s (no peer repeats what another just sent, wall-clock
 * releases) and below group_interval - (peers - 1) × 15s (a late peer that took over is due again at
 * its next flush) makes every flush deliver once, from the first live peer: for 1 to 3 peers, 1m
 * within 2m. The receiver must allow a flush, a failover wait and one lost delivery.
 */
export const WATCHDOG_TIMING = {
  groupInterval: '2m',
  repeatInterval: '1m',
  /** How often the dead-man's switch hears the heartbeat: every group_interval. */
  deliveryEvery: '2m',
  /** The grace period the dead-man's switch should use: two deliveries, plus (peers - 1) × 15s of failover, rounded up. */
  receiverTimeout: '5m',
} as const;

/** Receiver names the example routes use; docs and tests refer to them. */
export const RECEIVERS = { default: 'default', pager: 'pager', deadMansSwitch: 'dead-mans-switch', null: 'null' } as const;

/**
 * What a real overlay starts from: warnings to a webhook (chat), critical alerts to a pager, and
 * the always-firing Watchdog to an external dead-man's switch that pages when it stops arriving.
 * Every CHANGE-ME is a value to replace before the file goes into the secret store.
 */
export function exampleAlertmanagerConfig(): AlertmanagerFile {
  return {
    route: {
      receiver: RECEIVERS.default,
      // One notification per alert and place; the replica labels never reach here (both senders drop them).
      group_by: ['alertname', 'cluster', 'namespace'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        // The dead-man's switch gets a heartbeat every group_interval (WATCHDOG_TIMING, docs/alerting.md).
        {
          matchers: [`alertname = "${WATCHDOG_ALERT}"`],
          receiver: RECEIVERS.deadMansSwitch,
          group_wait: '0s',
          group_interval: WATCHDOG_TIMING.groupInterval,
          repeat_interval: WATCHDOG_TIMING.repeatInterval,
        },
        { matchers: ['severity = "critical"'], receiver: RECEIVERS.pager },
      ],
    },
    receivers: [
      { name: RECEIVERS.default, webhook_configs: [{ url: 'https://CHANGE-ME.invalid/chat-webhook', send_resolved: true }] },
      { name: RECEIVERS.pager, pagerduty_configs: [{ routing_key: 'CHANGE-ME' }] },
      { name: RECEIVERS.deadMansSwitch, webhook_configs: [{ url: 'https://CHANGE-ME.invalid/dead-mans-switch-ping' }] },
    ],
    // Only pairs that exist: an alert name at one severity never also fires at the other, so a
    // generic critical-mutes-warning rule would inhibit nothing. While no Alertmanager takes a
    // replica's alerts, the per-Alertmanager warnings of that replica add nothing.
    inhibit_rules: [
      {
        source_matchers: [`alertname = "${NOTIFICATIONS_FAILING_ALERT}"`, 'severity = "critical"'],
        target_matchers: [`alertname = "${NOTIFICATIONS_FAILING_ONE_ALERTMANAGER_ALERT}"`, 'severity = "warning"'],
        equal: ['cluster', 'namespace', 'pod'],
      },
    ],
  };
}

/** Dev only: every alert goes to a receiver that does nothing, on purpose and said so. */
export function nullAlertmanagerConfig(): AlertmanagerFile {
  return { route: { receiver: RECEIVERS.null, group_by: ['alertname'] }, receivers: [{ name: RECEIVERS.null }] };
}

export const NULL_CONFIG_HEADER =
  '# Dev: every alert goes to the receiver "null", which notifies nobody, on purpose. To receive alerts,\n' +
  '# switch this overlay to another secrets mode and start from alertmanager.yaml.template (docs/alerting.md).\n';

export const EXAMPLE_CONFIG_HEADER =
  '# Alertmanager configuration for this overlay: replace every CHANGE-ME, then put the file into your\n' +
  '# secret store as described in docs/alerting.md. Never commit the filled-in file: it holds receiver keys.\n';

export function alertmanagerConfigText(file: AlertmanagerFile, header: string): string {
  return header + stringify(file);
}
