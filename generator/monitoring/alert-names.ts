/** The always-firing alert a dead-man's switch listens for; routes and docs refer to it by this name. */
export const WATCHDOG_ALERT = 'Watchdog';

/** Critical: a Prometheus replica's alerts reach no Alertmanager. */
export const NOTIFICATIONS_FAILING_ALERT = 'PrometheusNotificationsFailing';

/** Warning: one Alertmanager refuses a replica's alerts; the critical one above inhibits it. */
export const NOTIFICATIONS_FAILING_ONE_ALERTMANAGER_ALERT = 'PrometheusNotificationsFailingToAlertmanager';
