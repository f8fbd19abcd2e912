import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parser } from '@prometheus-io/lezer-promql';
import { DEFAULT_STACK, mergeStack } from '../../generator/model/stack.js';
import { prometheus, ruler } from '../../generator/components/index.js';
import {
  prometheusRuleFiles,
  renderRuleFile,
  rulerRuleFiles,
  runbookUrl,
  shippedAlerts,
  type AlertRule,
  type RuleFile,
} from '../../generator/monitoring/rules/index.js';
import type { FleetMembers } from '../../generator/monitoring/rules/fleet.js';
import { MONITORING } from '../../settings/monitoring.js';
import { stringify } from '../../core/yaml.js';
import { promtool } from '../helpers/tools.js';
import { REPO_ROOT } from '../helpers/repo-copy.js';
import { completeTest, missingCoverage, ruleTestFiles } from './rule-tests.js';
import { prometheusMonitoring, rulerMonitoring } from '../../generator/monitoring/component-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'rule-tests-'));
const stack = DEFAULT_STACK;
/** An observer's fleet as its tests (thanos-fleet.test.yaml) write it: one leaf, one agent. */
const fleet: FleetMembers = {
  leaves: [{ overlay: 'eu-gcs', cluster: 'eu-1', address: 'thanos-eu.example.com:443' }],
  agents: [{ overlay: 'edge-gcs', cluster: 'edge-1' }],
};
const fleetFiles = rulerRuleFiles(stack, fleet).filter((f) => f.name === 'thanos-fleet');
/** The stack with its caches in memcached, as memcached.test.yaml writes it: two memcached pods. */
const cacheStack = mergeStack(stack, { cache: { backend: 'memcached', replicas: 2 } });
const cacheFiles = prometheusRuleFiles(cacheStack).filter((f) => f.name === 'memcached');
const extraFiles = [...fleetFiles, ...cacheFiles];
const alerts = [...shippedAlerts(stack), ...extraFiles.flatMap((f) => f.groups.flatMap((g) => g.rules))];
const byName = new Map(alerts.map((a) => [a.alert, a]));
const shipped = [...prometheusRuleFiles(stack), ...rulerRuleFiles(stack)];
const files = [...shipped, ...extraFiles];
// promtool reads Prometheus' format: the Thanos Ruler removes partial_response_strategy before it does.
const promtoolView = (file: RuleFile) => ({
  groups: (renderRuleFile(file).groups as Array<Record<string, unknown>>).map(({ partial_response_strategy: _, ...group }) => group),
});
for (const file of files) writeFileSync(join(dir, `${file.name}.yaml`), stringify(promtoolView(file)));
const tests = ruleTestFiles();

describe('the shipped rules', () => {
  it('have unique alert names and each states severity, summary, description, window and a runbook', () => {
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
    for (const a of alerts) {
      expect(['critical', 'warning', 'info', 'none'], a.alert).toContain(a.severity);
      for (const text of [a.summary, a.description, a.window, a.runbook.meaning, a.runbook.escalate])
        expect(text.length, a.alert).toBeGreaterThan(10);
      expect(a.runbook.confirm.length, a.alert).toBeGreaterThan(0);
      expect(a.runbook.fix.length, a.alert).toBeGreaterThan(0);
      // Unit tests compare annotations exactly; only label templates can be filled in ahead of time.
      expect(`${a.summary} ${a.description}`, a.alert).not.toMatch(/\$value|humanize/);
    }
  });

  it('are what the Prometheus and Ruler ConfigMaps carry, one file per component', () => {
    const inConfigMaps = {
      ...prometheus(stack, prometheusMonitoring(stack)).rulesConfigMap!.data,
      ...ruler(stack, rulerMonitoring(stack)).rulesConfigMap.data,
    };
    expect(Object.keys(inConfigMaps).sort()).toEqual(shipped.map((f) => `${f.name}.yaml`).sort());
    const rendered = Object.values(inConfigMaps).flatMap((text) => parse(text).groups.flatMap((g: any) => g.rules));
    for (const rule of rendered) {
      expect(rule.labels.severity, rule.alert).toBeTruthy();
      expect(Object.keys(rule.annotations).sort(), rule.alert).toEqual(['description', 'runbook_url', 'summary']);
      expect(rule.annotations.runbook_url).toBe(`${MONITORING.runbookBaseUrl}/${rule.alert}.md`);
    }
  });

  it('pass promtool check rules', () => {
    const result = promtool(['check', 'rules', ...files.map((f) => join(dir, `${f.name}.yaml`))]);
    expect(result.output).not.toContain('FAILED');
    expect(result.code).toBe(0);
  });

  it('every shipped alert has a runbook in docs/runbooks/', () => {
    const missing = alerts.filter((a) => !existsSync(join(REPO_ROOT, 'docs/runbooks', `${a.alert}.md`))).map((a) => a.alert);
    expect(missing).toEqual([]);
  });

  it('every shipped alert has a unit test that fires it and one realistic history that must not', () => {
    expect(
      missingCoverage(
        alerts,
        tests.map((t) => t.test),
      ),
    ).toEqual({ noFiring: [], noSilent: [] });
  });

  it('the coverage check fails for a shipped alert without a test', () => {
    const untested: AlertRule = { ...alerts[1], alert: 'NewAlertWithoutTests' };
    const before = missingCoverage(
      alerts,
      tests.map((t) => t.test),
    );
    const after = missingCoverage(
      [...alerts, untested],
      tests.map((t) => t.test),
    );
    expect(after.noFiring).toEqual([...before.noFiring, 'NewAlertWithoutTests']);
    expect(after.noSilent).toEqual([...before.noSilent, 'NewAlertWithoutTests']);
  });

  it('every test file tests a shipped rules file', () => {
    for (const { name, test } of tests) {
      expect(test.rule_files, name).toEqual([name.replace('.test.yaml', '.yaml')]);
      expect(existsSync(join(dir, test.rule_files[0])), name).toBe(true);
    }
  });
});

const inventory = JSON.parse(readFileSync(join(REPO_ROOT, 'generator/monitoring/inventory/metrics.json'), 'utf8')).metrics as Record<
  string,
  string
>;
/** Served by the kubelet, whose sources the inventory does not read. */
const KUBELET = new Set(['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes']);

/** The metric names an expression selects (the lezer PromQL grammar, as the dashboards test reads panels). */
function selected(expr: string): string[] {
  const names: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      const identifier = node.name === 'VectorSelector' ? node.node.firstChild : null;
      if (identifier?.name === 'Identifier') names.push(expr.slice(identifier.from, identifier.to));
    },
  });
  return names;
}

describe('metric names', () => {
  it('every metric a shipped rule selects is defined in a pinned release (generator/monitoring/inventory/metrics.json)', () => {
    const unknown = alerts.flatMap((a) =>
      selected(a.expr)
        .filter((name) => !(name in inventory) && !KUBELET.has(name))
        .map((n) => `${a.alert}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it('the check can fail: a misspelt name is reported', () => {
    expect(selected('rate(thanos_memcached_operation_failure_total{job="thanos-store"}[5m]) > 0').filter((n) => !(n in inventory))).toEqual(
      ['thanos_memcached_operation_failure_total'],
    );
  });
});

describe('promtool test rules', () => {
  it.each(tests.map((t) => [t.name, t.test] as const))('%s', (name, test) => {
    const path = join(dir, name);
    writeFileSync(path, stringify(completeTest(test, byName)));
    const result = promtool(['test', 'rules', path]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('fails when an expectation is wrong (the harness can fail)', () => {
    const wrong = structuredClone(tests.find((t) => t.name === 'prometheus.test.yaml')!.test);
    const case_ = wrong.tests[1].alert_rule_test![1];
    case_.exp_alerts = [];
    const path = join(dir, 'wrong.test.yaml');
    writeFileSync(path, stringify(completeTest(wrong, byName)));
    expect(promtool(['test', 'rules', path]).code).not.toBe(0);
  });

  it('runbook URLs point at docs/runbooks/<alert>.md under the configured base', () => {
    expect(runbookUrl('X', { runbookBaseUrl: 'https://example.com/r' })).toBe('https://example.com/r/X.md');
  });
});
