import type { StackConfig } from '../../model/stack.js';

/** critical pages someone now; warning is for working hours; none is the Watchdog's. */
export type Severity = 'critical' | 'warning' | 'info' | 'none';

/** What docs/runbooks/<alert>.md says; required, so no alert ships without one. */
export interface Runbook {
  /** What the alert means and what breaks if nobody acts. */
  readonly meaning: string;
  /** How to confirm: PromQL to run (in Grafana Explore or the Query UI), commands. */
  readonly confirm: readonly string[];
  /** Steps to fix, most likely cause first. */
  readonly fix: readonly string[];
  /** When to hand over, and to whom. */
  readonly escalate: string;
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold; part of the detection window. */
  readonly for?: string;
  readonly severity: Severity;
  /** Extra labels (e.g. `job` for an absent() alert, which has none of its own). */
  readonly labels?: Readonly<Record<string, string>>;
  /** One line; may use {{ $labels.<name> }} (never $value: unit tests pin the exact text). */
  readonly summary: string;
  /** Names what to look at; may use {{ $labels.<name> }}. */
  readonly description: string;
  /** The detection window in words, as the unit tests check it: "fires within 10m of ...". */
  readonly window: string;
  readonly runbook: Runbook;
}

export interface RuleGroup {
  readonly name: string;
  /**
   * Thanos Ruler only: `warn` evaluates with the StoreAPIs that answer instead of failing the whole
   * evaluation (thanos v0.42.4 pkg/rules/manager.go:216-236 reads and removes the field).
   */
  readonly partialResponseStrategy?: 'warn';
  readonly rules: readonly AlertRule[];
}

/** Everything a rule module may read: the stack (replicas, block duration, enabled components). */
export interface RuleContext {
  readonly stack: StackConfig;
}

export const RATE_WINDOW = '5m';

/** `metric{job="x"}` with extra matchers. */
export function sel(metric: string, job: string, extra = ''): string {
  return `${metric}{job="${job}"${extra ? `, ${extra}` : ''}}`;
}

/** Share of `errors` in `total`, summed per `by`, over the standard rate window. */
export function ratio(errors: string, total: string, by: string): string {
  return `sum by (${by}) (rate(${errors}[${RATE_WINDOW}])) / sum by (${by}) (rate(${total}[${RATE_WINDOW}]))`;
}

/** Seconds since the newest process start among these jobs, per pod: the gate for "nothing since start". */
export function processAge(jobs: readonly string[]): string {
  const job = jobs.length === 1 ? `job="${jobs[0]}"` : `job=~"${jobs.join('|')}"`;
  return `(time() - max by (namespace, pod) (process_start_time_seconds{${job}}))`;
}

/** More than 5% of a job's HTTP requests to these handlers end in a 5xx. */
export function http5xxShare(job: string, handlers: string): string {
  return `${ratio(sel('http_requests_total', job, `${handlers}, code=~"5.."`), sel('http_requests_total', job, handlers), 'job, namespace')} > 0.05`;
}

/**
 * Where an on-call reads an overlay's local retention, and where the overlay sets it. One runbook page
 * serves every overlay (runbook_url has no overlay in it), so runbooks name where the figure is,
 * never the base's figure, which would be wrong for every overlay that changes it.
 */
export const RETENTION_WHERE = {
  prometheus:
    "the overlay's Prometheus retention (`storage.tsdb.retention` in its ConfigMap prometheus-config: `time`, and `size` when set; written from `overrides.prometheus.retention` and `retentionSizePercent` in settings/overlays.ts, else from the overlay's profile in settings/profiles.ts)",
  receive:
    "the overlay's Receive retention (`--tsdb.retention`, and `--tsdb.max-retention-bytes` when set, in the args of its thanos-receive StatefulSets; written from `overrides.receive.retention` and `retentionSizePercent` in settings/overlays.ts, else from the overlay's profile in settings/profiles.ts)",
} as const;
