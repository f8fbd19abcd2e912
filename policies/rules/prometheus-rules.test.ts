import { describe, expect, it } from 'vitest';
import { yamlOf } from '../testing/fixtures.js';
import { diagnose, policyTable } from '../testing/rule-cases.js';
import { PROMTOOL_SKIPPED, prometheusRules, promtoolAvailable } from './prometheus-rules.js';

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
  it('finds nothing (check says once that it skipped, and how to install promtool)', () => {
    expect(PROMTOOL_SKIPPED).toMatch(/promtool is not on PATH; skipped `promtool check rules`.*\(apt-get install prometheus\)$/);
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

describe('prometheus-rules (mutation)', () => {
  const twoErrors = `${badExpr}      - alert: B\n        expr: up ==\n`;
  // An annotation that starts with {{ and is not quoted is a YAML flow mapping, and no YAML at all here.
  const unquoted = `${good}        annotations:\n          summary: {{ $labels.instance }} is down\n`;
  const unquotedRuler = `groups:\n  - name: g\n    partial_response_strategy: warn\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n          summary: {{ $labels.instance }} is down\n`;
  const partialBroken = `groups:\n  - name: g\n    partial_response_strategy: abort\n    rules:\n      - alert: A\n        expr: sum(up\n`;

  policyTable(prometheusRules, [
    {
      name: 'fails: each error promtool prints, in order, joined by "; " (without its Checking and FAILED: lines); a .yml key is a rules file too',
      yaml: yamlOf(configMap('two', { 'alerts.yml': twoErrors })),
      expect: {
        'ConfigMap/two': [
          /^error: rules file alerts\.yml fails promtool check rules: alerts\.yml: 5:\d+: group "g", rule 1, "A": could not parse expression: .*unclosed left parenthesis; alerts\.yml: 7:\d+: group "g", rule 2, "B": could not parse expression: .*$/,
        ],
      },
    },
    {
      name: 'fails: a rules file that is no YAML (an unquoted {{ $labels.instance }} annotation), in Prometheus and in a Ruler file with partial_response_strategy; the YAML error promtool prints twice is said once',
      yaml: yamlOf(configMap('unquoted', { 'alerts.yaml': unquoted }), configMap('ruler', { 'ruler.yaml': unquotedRuler })),
      expect: {
        'ConfigMap/unquoted': [/^error: rules file alerts\.yaml fails promtool check rules: alerts\.yaml: yaml: line \d+: [^;]*$/],
        'ConfigMap/ruler': [/^error: rules file ruler\.yaml fails promtool check rules: ruler\.yaml: yaml: line \d+: [^;]*$/],
      },
    },
    {
      // thanos v0.42.4 pkg/rules/manager.go:216-236: the Ruler takes partial_response_strategy off the group.
      name: 'fails: a Ruler file with partial_response_strategy is judged on its rules (a parse error), not on the Thanos field',
      yaml: yamlOf(configMap('ruler', { 'ruler.yaml': partialBroken })),
      expect: { 'ConfigMap/ruler': [/^error: rules file ruler\.yaml fails promtool check rules: .*unclosed left parenthesis$/] },
    },
    {
      // The Ruler reads the file with gopkg.in/yaml.v2 (thanos v0.42.4 pkg/rules/manager.go:24, :216-236), which applies
      // merge keys (yaml.v2 v2.4.0 decode.go:662-663); the file handed on carries the merged labels, as promtool reads them.
      name: 'passes: a Ruler file with partial_response_strategy and merge keys (labels: {<<: *page, team: x}) is checked as the Ruler reads it',
      yaml: yamlOf(
        configMap('merged', {
          'ruler.yaml':
            'groups:\n  - name: g\n    partial_response_strategy: warn\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: &page\n          severity: page\n      - alert: B\n        expr: absent(up)\n        labels:\n          <<: *page\n          team: x\n',
        }),
      ),
      expect: {},
    },
    {
      name: 'passes: keys that are no rules file Prometheus loads: a copy kept as alerts.yaml.orig, a templated objstore.yaml that is no YAML until filled in',
      yaml: yamlOf(
        configMap('kept', {
          'alerts.yaml.orig': badExpr,
          'objstore.yaml': 'type: S3\nconfig:\n  bucket: {{ .bucket }}\n',
        }),
      ),
      expect: {},
    },
  ]);
});
