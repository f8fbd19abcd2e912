import { describe, expect, it } from 'vitest';
import { yamlOf } from '../testing/fixtures.js';
import { diagnose, policyTable } from '../testing/rule-cases.js';
import { prometheusRules, promtoolAvailable } from './prometheus-rules.js';

const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const good = 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5m\n';
const badExpr = 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(up\n';
// The Thanos Ruler's group field (thanos v0.42.4 pkg/rules/manager.go:216-236), which promtool alone rejects.
const partial = 'groups:\n  - name: g\n    partial_response_strategy: warn\n    rules:\n      - alert: A\n        expr: up == 0\n';
const misspelt = 'groups:\n  - name: g\n    partial_respons_strategy: warn\n    rules: []\n';
const duplicate = 'groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n';

policyTable(prometheusRules, [
  {
    name: 'passes: a valid rules file, a Ruler file with partial_response_strategy, and ConfigMaps that hold no rules (a Prometheus config, a hashring)',
    yaml: yamlOf(
      configMap('rules', { 'a.yaml': good, 'ruler.yaml': partial }),
      configMap('config', { 'prometheus.yaml.tmpl': 'global:\n  scrape_interval: 30s\n', 'hashrings.json': '[]' }),
    ),
    expect: {},
  },
  {
    name: 'fails: an expression that does not parse, a group name used twice, a misspelt group field',
    yaml: yamlOf(configMap('broken', { 'a.yaml': good, 'b.yaml': badExpr, 'c.yaml': duplicate, 'd.yaml': misspelt })),
    expect: {
      'ConfigMap/broken': [
        /rules file b\.yaml fails promtool check rules: .*parse error/,
        /rules file c\.yaml fails promtool check rules: .*groupname: "g" is repeated/,
        /rules file d\.yaml fails promtool check rules: .*partial_respons_strategy not found/,
      ],
    },
  },
]);

describe('prometheus-rules without promtool', () => {
  it('finds nothing (check says once that it skipped)', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(promtoolAvailable()).toBe(false);
      expect(diagnose(prometheusRules, yamlOf(configMap('broken', { 'b.yaml': badExpr })))).toEqual({});
    } finally {
      process.env.PATH = path;
    }
    expect(promtoolAvailable()).toBe(true);
  });
});
