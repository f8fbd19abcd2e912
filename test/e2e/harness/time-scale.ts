import { parser } from '@prometheus-io/lezer-promql';
import { parse, stringify } from 'yaml';
import { parseDuration } from '../../../core/units/duration.js';

/**
 * The one place where the end-to-end suite shrinks time. Every window of the shipped configuration
 * (scrape and evaluation intervals, `for:`, the range and offset durations inside PromQL,
 * Alertmanager's group_wait / group_interval / repeat_interval, the peers' --cluster.peer-timeout
 * and Prometheus' --rules.alert.resend-delay) is divided by this factor, so their ratios, which
 * decide what fires and what a receiver hears, stay as shipped: a 5m `for:` becomes 15s, the
 * Watchdog's 2m group interval 6s, the 15s peer timeout 750ms.
 *
 * Numbers that PromQL compares with a wall-clock age (`time() - process_start_time_seconds > 600`)
 * are not durations to the parser and stay as written; the synthetic exporter states its ages in
 * real seconds. 20 keeps the peer timeout (750ms) well above the gossip round on a loaded machine
 * (200ms) while the whole suite stays within a few minutes.
 */
export const TIME_SCALE = 20;

/** A Prometheus/Alertmanager duration divided by TIME_SCALE, written in whole milliseconds when it must be. */
export function scaled(duration: string): string {
  const ms = parseDuration(duration);
  if (ms === undefined) throw new Error(`time-scale: "${duration}" is not a Prometheus duration (e.g. 30s, 5m, 1h30m)`);
  return formatDuration(Math.round(ms / TIME_SCALE));
}

/** Milliseconds of a duration after scaling, for the test's own waits and bounds. */
export function scaledMs(duration: string): number {
  return parseDuration(scaled(duration))!;
}

/** The largest unit that writes `ms` exactly; model.ParseDuration takes no fractions ("1.5s" is refused, "1500ms" is not). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Every duration literal of a PromQL expression (ranges, subquery steps, offsets) scaled; the rest untouched. */
export function scaleExpr(expr: string): string {
  const spans: Array<{ from: number; to: number }> = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) throw new Error(`time-scale: cannot parse PromQL "${expr}" at ${node.from}`);
      if (node.name === 'NumberDurationLiteralInDurationContext') spans.push({ from: node.from, to: node.to });
    },
  });
  let out = expr;
  for (const span of spans.reverse()) out = out.slice(0, span.from) + scaled(expr.slice(span.from, span.to)) + out.slice(span.to);
  return out;
}

/** A Prometheus rules file with its group intervals, `for:`, `keep_firing_for:` and expression windows scaled. */
export function scaleRuleFile(text: string): string {
  const file = parse(text) as { groups: Array<Record<string, any>> };
  for (const group of file.groups) {
    if (group.interval) group.interval = scaled(group.interval);
    for (const rule of group.rules) {
      rule.expr = scaleExpr(String(rule.expr));
      if (rule.for) rule.for = scaled(rule.for);
      if (rule.keep_firing_for) rule.keep_firing_for = scaled(rule.keep_firing_for);
    }
  }
  return stringify(file, { lineWidth: 0 });
}

const SCRAPE_WINDOWS = ['scrape_interval', 'scrape_timeout', 'evaluation_interval'] as const;

/** A Prometheus configuration with its global and per-job intervals scaled (a copy). */
export function scalePrometheusConfig(config: Record<string, any>): Record<string, any> {
  const out = structuredClone(config);
  for (const block of [out.global ?? {}, ...(out.scrape_configs ?? [])]) {
    for (const key of SCRAPE_WINDOWS) if (block[key]) block[key] = scaled(block[key]);
  }
  return out;
}

const ROUTE_WINDOWS = ['group_wait', 'group_interval', 'repeat_interval'] as const;

/** An Alertmanager route tree with every timing scaled, and the defaults it inherits written out scaled (a copy). */
export function scaleRoute(route: Record<string, any>, isRoot = true): Record<string, any> {
  const out = { ...route };
  // Alertmanager's defaults for the root route (config/config.go DefaultRoute...): 30s, 5m, 4h.
  const defaults: Record<string, string> = { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' };
  for (const key of ROUTE_WINDOWS) {
    if (out[key]) out[key] = scaled(out[key]);
    else if (isRoot) out[key] = scaled(defaults[key]);
  }
  if (out.routes) out.routes = out.routes.map((child: Record<string, any>) => scaleRoute(child, false));
  return out;
}
