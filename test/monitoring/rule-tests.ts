import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runbookUrl, type AlertRule } from '../../generator/monitoring/rules/index.js';
import { REPO_ROOT } from '../helpers/repo-copy.js';

/** The promtool unit tests shipped beside the rules: generator/monitoring/rules/tests/<file>.test.yaml. */
export const RULE_TESTS_DIR = join(REPO_ROOT, 'generator/monitoring/rules/tests');

export interface ExpAlert {
  exp_labels?: Record<string, string>;
  exp_annotations?: Record<string, string>;
}
export interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts?: ExpAlert[];
}
export interface RuleTestFile {
  rule_files: string[];
  evaluation_interval?: string;
  tests: Array<{ name?: string; interval?: string; input_series?: unknown[]; alert_rule_test?: AlertRuleTest[] }>;
}

export function ruleTestFiles(): Array<{ name: string; test: RuleTestFile }> {
  return readdirSync(RULE_TESTS_DIR)
    .filter((f) => f.endsWith('.test.yaml'))
    .sort()
    .map((name) => ({ name, test: parse(readFileSync(join(RULE_TESTS_DIR, name), 'utf8')) as RuleTestFile }));
}

/** `{{ $labels.x }}` filled in from the alert's labels: the only template the rules may use. */
function fill(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

/**
 * The test file promtool runs: each expected alert gets the rule's static labels (severity, job of an
 * absent() alert) and its exact annotations, derived from the rule definition. The test files stay
 * short and readable; what promtool compares is still the full alert.
 */
export function completeTest(test: RuleTestFile, alerts: ReadonlyMap<string, AlertRule>): RuleTestFile {
  const out = structuredClone(test);
  for (const group of out.tests) {
    for (const case_ of group.alert_rule_test ?? []) {
      const rule = alerts.get(case_.alertname);
      if (!rule) throw new Error(`a test names alert ${case_.alertname}, which no rules file ships`);
      case_.exp_alerts = (case_.exp_alerts ?? []).map((exp) => {
        const labels = { ...rule.labels, severity: rule.severity, ...exp.exp_labels };
        const all = { ...labels, alertname: rule.alert };
        return {
          exp_labels: labels,
          exp_annotations: exp.exp_annotations ?? {
            summary: fill(rule.summary, all),
            description: fill(rule.description, all),
            runbook_url: runbookUrl(rule.alert),
          },
        };
      });
    }
  }
  return out;
}

/** Alerts without a firing case, and alerts without a silent case (the Watchdog is always firing). */
export function missingCoverage(alerts: readonly AlertRule[], tests: readonly RuleTestFile[]): { noFiring: string[]; noSilent: string[] } {
  const firing = new Set<string>();
  const silent = new Set<string>();
  for (const test of tests) {
    for (const group of test.tests) {
      for (const case_ of group.alert_rule_test ?? []) (case_.exp_alerts?.length ? firing : silent).add(case_.alertname);
    }
  }
  return {
    noFiring: alerts.filter((a) => !firing.has(a.alert)).map((a) => a.alert),
    noSilent: alerts.filter((a) => a.severity !== 'none' && !silent.has(a.alert)).map((a) => a.alert),
  };
}
