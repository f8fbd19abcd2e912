/** The always-firing alert a dead-man's switch listens for; routes and docs refer to it by this name. */
export const WATCHDOG_ALERT = 'Watchdog';
