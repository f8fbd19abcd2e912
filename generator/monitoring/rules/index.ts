import type { StackConfig } from '../../model/stack.js';
import { MONITORING, type MonitoringSettings } from '../../../settings/monitoring.js';
import { stringify } from '../../../core/yaml.js';
import { absentRules } from './absent.js';
import { alertmanagerRules } from './alertmanager.js';
import { bucketRules } from './bucket.js';
import { compactRules } from './compact.js';
import { fleetRules, type FleetMembers } from './fleet.js';
import { globalRules } from './global.js';
import { memcachedRules } from './memcached.js';
import { prometheusRules, watchdogRule } from './prometheus.js';
import { queryFrontendRules } from './query-frontend.js';
import { queryRules } from './query.js';
import { receiveRules } from './receive.js';
import { rulerRules } from './rule.js';
import { sidecarRules } from './sidecar.js';
import { storeRules } from './store.js';
import type { AlertRule, RuleGroup } from './types.js';

export type { AlertRule, RuleGroup, Runbook, Severity } from './types.js';

/** One rules file: its name without `.yaml` (also the name of its unit tests, `<name>.test.yaml`). */
export interface RuleFile {
  readonly name: string;
  readonly groups: readonly RuleGroup[];
}

const file = (name: string, ...groups: RuleGroup[]): RuleFile => ({ name, groups });

/**
 * Rules every Prometheus replica evaluates on its own data: both replicas scrape every component, so
 * each can alert on all of them, with or without the Ruler and Query, and Alertmanager deduplicates
 * the two copies. Components the stack leaves out have no rules.
 */
export function prometheusRuleFiles(stack: StackConfig): RuleFile[] {
  const ctx = { stack };
  const caches = memcachedRules(ctx);
  return [
    file('watchdog', { name: 'watchdog', rules: [watchdogRule()] }),
    file('prometheus', prometheusRules(ctx)),
    file('thanos-sidecar', sidecarRules(ctx)),
    file('thanos-bucket', bucketRules(ctx)),
    ...(stack.query.enabled ? [file('thanos-query', queryRules())] : []),
    ...(stack.queryFrontend.enabled ? [file('thanos-query-frontend', queryFrontendRules())] : []),
    ...(stack.store.enabled ? [file('thanos-store', storeRules())] : []),
    ...(stack.compact.enabled ? [file('thanos-compact', compactRules())] : []),
    ...(stack.receive.enabled ? [file('thanos-receive', receiveRules(ctx))] : []),
    ...(stack.ruler.enabled ? [file('thanos-rule', rulerRules())] : []),
    ...(stack.alertmanager.enabled ? [file('alertmanager', alertmanagerRules(ctx))] : []),
    ...(caches.rules.length > 0 ? [file('memcached', caches)] : []),
    file('absent', absentRules(ctx)),
  ];
}

/** A fleet to describe alerts with when no observer is at hand (runbooks): placeholders for every value. */
export const EXAMPLE_FLEET: FleetMembers = {
  leaves: [{ overlay: '<leaf overlay>', cluster: '<leaf cluster>', address: '<leaf host>:443' }],
  agents: [{ overlay: '<agent overlay>', cluster: '<agent cluster>' }],
};

/** The leaves and agents an observer's Ruler watches; none for the other roles. */
export function fleetMembers(stack: StackConfig): FleetMembers | undefined {
  const { role, leafEndpoints, agents = [] } = stack.fleet;
  if (role !== 'observer' || leafEndpoints.length + agents.length === 0) return undefined;
  return { leaves: leafEndpoints, agents };
}

/**
 * Rules only the Ruler can evaluate: they need the view across every Prometheus replica, and on an
 * observer across every member cluster.
 */
export function rulerRuleFiles(stack: StackConfig, members = fleetMembers(stack)): RuleFile[] {
  if (!members) return [file('thanos-global', globalRules())];
  // Across a fleet, one dead leaf must not fail every evaluation: both groups answer with what answers.
  return [file('thanos-global', { ...globalRules(), partialResponseStrategy: 'warn' }), file('thanos-fleet', fleetRules(members))];
}

/** Every alert the stack ships, in the Prometheus files and the Ruler's. */
export function shippedAlerts(stack: StackConfig): AlertRule[] {
  return [...prometheusRuleFiles(stack), ...rulerRuleFiles(stack)].flatMap((f) => f.groups.flatMap((g) => g.rules));
}

export function runbookUrl(alert: string, settings: MonitoringSettings = MONITORING): string {
  return `${settings.runbookBaseUrl}/${alert}.md`;
}

/** A rules file as Prometheus and Thanos read it. */
export function renderRuleFile(ruleFile: RuleFile, settings: MonitoringSettings = MONITORING): Record<string, unknown> {
  return {
    groups: ruleFile.groups.map((group) => ({
      name: group.name,
      ...(group.partialResponseStrategy ? { partial_response_strategy: group.partialResponseStrategy } : {}),
      rules: group.rules.map((rule) => ({
        alert: rule.alert,
        expr: rule.expr,
        ...(rule.for ? { for: rule.for } : {}),
        labels: { ...rule.labels, severity: rule.severity },
        annotations: { summary: rule.summary, description: rule.description, runbook_url: runbookUrl(rule.alert, settings) },
      })),
    })),
  };
}

/** Rule files as a ConfigMap holds them: YAML text by file name (Prometheus and Thanos load every *.yaml of the directory). */
export function ruleFileData(ruleFiles: readonly RuleFile[]): Record<string, string> {
  return Object.fromEntries(ruleFiles.map((f) => [`${f.name}.yaml`, stringify(renderRuleFile(f))]));
}
