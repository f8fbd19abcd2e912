import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parser } from '@prometheus-io/lezer-promql';
import { DEFAULT_STACK, mergeStack } from '../../generator/model/stack.js';
import { GRAFANA_DASHBOARD_LABEL, dashboardConfigMaps } from '../../generator/monitoring/dashboards/index.js';
import { REPO_ROOT } from '../helpers/repo-copy.js';

interface Inventory {
  sources: Array<{ repo: string; ref: string; commit: string }>;
  metrics: Record<string, string>;
}
const inventory = JSON.parse(readFileSync(join(REPO_ROOT, 'generator/monitoring/inventory/metrics.json'), 'utf8')) as Inventory;
/** Recording rules the stack ships (none today: dashboards read upstream metrics only). */
const RECORDED: ReadonlySet<string> = new Set();

/** What Grafana puts in place of each variable, so the expression parses as it will run. */
const VARIABLES: Record<string, string> = {
  $__rate_interval: '5m',
  $__interval: '1m',
  $__range: '6h',
  $cluster: 'main',
  $namespace: 'monitoring',
  '${datasource}': 'thanos',
};

export function substitute(expr: string): string {
  let out = expr;
  for (const [name, value] of Object.entries(VARIABLES).sort(([a], [b]) => b.length - a.length)) out = out.replaceAll(name, value);
  return out;
}

/**
 * Parses with the lezer PromQL grammar (which never throws) and returns the parse errors and the
 * metric names the expression selects. Names in `{__name__="..."}` count too.
 */
export function analyse(expr: string): { errors: string[]; metrics: string[] } {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const metrics: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`parse error at ${node.from}: '${expr.slice(Math.max(0, node.from - 10), node.to + 10)}'`);
      if (node.name === 'VectorSelector') {
        const identifier = node.node.firstChild;
        if (identifier && identifier.name === 'Identifier') metrics.push(expr.slice(identifier.from, identifier.to));
        const nameMatcher = /__name__\s*=\s*"([^"]+)"/.exec(expr.slice(node.from, node.to));
        if (nameMatcher) metrics.push(nameMatcher[1]);
      }
    },
  });
  return { errors, metrics };
}

/** Every dashboard and row an overlay can have: the caches in memcached, a split Receive. */
const stack = mergeStack(DEFAULT_STACK, { cache: { backend: 'memcached' }, receive: { routers: 2 } });
const configMaps = dashboardConfigMaps(stack);
const dashboards = configMaps.map((cm) => {
  const [key, text] = Object.entries(cm.data!)[0];
  return { key, text, json: JSON.parse(text) as Record<string, any> };
});
const panels = dashboards.flatMap((d) =>
  (d.json.panels as Array<Record<string, any>>).filter((p) => p.type !== 'row').map((p) => ({ dashboard: d.json.uid as string, panel: p })),
);
const queries = panels.flatMap(({ dashboard, panel }) =>
  (panel.targets as Array<{ expr: string }>).map((t) => ({ where: `${dashboard} / ${panel.title}`, expr: t.expr })),
);
const variableQueries = dashboards.flatMap((d) =>
  (d.json.templating.list as Array<Record<string, any>>)
    .filter((v) => v.type === 'query')
    .map((v) => ({ where: `${d.json.uid} / variable ${v.name}`, expr: String(v.query).replace(/^label_values\((.*), *\w+\)$/, '$1') })),
);

describe('dashboards', () => {
  it('are ConfigMaps for the Grafana sidecar, one valid JSON dashboard each, with unique uids', () => {
    expect(dashboards.length).toBeGreaterThanOrEqual(6);
    for (const cm of configMaps) expect(cm.metadata!.labels![GRAFANA_DASHBOARD_LABEL]).toBe('1');
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const d of dashboards) {
      expect(d.key).toBe(`${d.json.uid}.json`);
      expect(typeof d.json.title).toBe('string');
      expect(d.json.schemaVersion).toBeGreaterThan(30);
      expect(d.json.templating.list.map((v: any) => v.name)).toEqual(['datasource', 'cluster', 'namespace']);
    }
  });

  it('lay panels out inside the 24-column grid, each with a title, description and the datasource variable', () => {
    for (const { dashboard, panel } of panels) {
      const where = `${dashboard} / ${panel.title}`;
      expect(panel.gridPos.x + panel.gridPos.w, where).toBeLessThanOrEqual(24);
      expect(panel.title.length, where).toBeGreaterThan(3);
      expect(panel.description.length, where).toBeGreaterThan(20);
      expect(panel.datasource, where).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets.length, where).toBeGreaterThan(0);
    }
  });

  it.each([...queries, ...variableQueries].map((q) => [q.where, q.expr] as const))(
    '%s parses and uses only known metrics',
    (_where, expr) => {
      const { errors, metrics } = analyse(substitute(expr));
      expect(errors).toEqual([]);
      expect(metrics.length).toBeGreaterThan(0);
      expect(metrics.filter((name) => !(name in inventory.metrics) && !RECORDED.has(name))).toEqual([]);
    },
  );

  it('the checks can fail: a syntax error, a made-up metric, an unsubstituted variable', () => {
    expect(analyse('sum(rate(up[5m])').errors.length).toBeGreaterThan(0);
    expect(analyse(substitute('rate(up{job="x"}[$__rate_interval])')).errors).toEqual([]);
    expect(analyse('rate(up{job="x"}[$__rate_interval])').errors.length).toBeGreaterThan(0);
    expect(analyse('thanos_made_up_metric_total{job="x"}').metrics.filter((n) => !(n in inventory.metrics))).toEqual([
      'thanos_made_up_metric_total',
    ]);
  });

  it('the metric inventory says where each name came from, at pinned releases', () => {
    expect(inventory.sources.map((s) => `${s.repo}@${s.ref}`)).toEqual(
      expect.arrayContaining([
        'github.com/thanos-io/thanos@v0.42.4',
        'github.com/prometheus/prometheus@v3.13.2',
        'github.com/prometheus/alertmanager@v0.32.1',
      ]),
    );
    for (const s of inventory.sources) expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const where of Object.values(inventory.metrics)) expect(where).toMatch(/^github\.com\/[^@]+@[^:]+:[^:]+\.go:\d+/);
  });

  it('show the caches only with memcached (the servers only when the stack runs them), and name routers only for a split Receive', () => {
    const uids = (s: typeof stack) => dashboardConfigMaps(s).map((cm) => Object.keys(cm.data!)[0]);
    const rows = (s: typeof stack, uid: string) =>
      JSON.parse(dashboardConfigMaps(s).find((cm) => cm.data![`${uid}.json`])!.data![`${uid}.json`])
        .panels.filter((p: any) => p.type === 'row')
        .map((p: any) => p.title);
    expect(uids(DEFAULT_STACK)).not.toContain('thanos-ha-cache.json');
    expect(rows(stack, 'thanos-ha-cache')).toEqual(['Memcached servers', 'Cache clients']);
    const external = mergeStack(DEFAULT_STACK, { cache: { backend: 'external', externalAddresses: ['dns+memcached.example.com:11211'] } });
    expect(rows(external, 'thanos-ha-cache')).toEqual(['Cache clients']);
    expect(rows(stack, 'thanos-ha-receive')).toContain('Routers: forwarding to the ingestors');
    expect(rows(DEFAULT_STACK, 'thanos-ha-receive')).toContain('Forwarding between replicas');
    expect(rows(DEFAULT_STACK, 'thanos-ha-receive').join()).not.toMatch(/Router|Ingestor/);
  });

  it('are identical on a second build (deterministic)', () => {
    expect(dashboardConfigMaps(stack).map((cm) => cm.data)).toEqual(configMaps.map((cm) => cm.data));
  });
});
