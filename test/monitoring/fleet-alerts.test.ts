import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registryModel } from '../../generator/model/registry.js';
import { readRegistry } from '../../generator/model/registry-file.js';
import type { StackConfig } from '../../generator/model/stack.js';
import { fleetMembers, renderRuleFile, rulerRuleFiles, type AlertRule } from '../../generator/monitoring/rules/index.js';
import type { FleetMembers } from '../../generator/monitoring/rules/fleet.js';
import { JOBS } from '../../generator/monitoring/scrape.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { stringify } from '../../core/yaml.js';
import { FLEET_REGISTRY } from '../fixtures/registry/fleet.js';
import { REPO_ROOT, fixtureRoot } from '../helpers/repo-copy.js';
import { promtool } from '../helpers/tools.js';
import { completeTest, type RuleTestFile } from './rule-tests.js';

/**
 * An agent evaluates no rules and runs no Alertmanager, so it has no Watchdog of its own: its
 * dead-man's switch is the observer's FleetClusterNotReporting for it, carried by the observer's
 * alerting path, whose own Watchdog proves it (docs/fleet.md). That holds only if every agent (and
 * every leaf) of every observer is named when it stops. GIVEN an observer of a registry WHEN the
 * histories below are generated for each of its members in turn THEN promtool finds exactly that
 * member paged, by cluster and overlay, and no other.
 *
 * Series as the observer's Ruler reads them through its Query: `up` of each member's Prometheus with
 * its cluster's external label, and thanos_store_nodes_grpc_connections labelled by each leaf's
 * address (thanos v0.42.4 pkg/query/endpointset.go:146-150, --query.conn-metric.label=ip_port).
 */
type Member = { readonly cluster: string; readonly overlay: string; readonly address?: string };

function membersOf(fleet: FleetMembers): Member[] {
  return [...fleet.leaves, ...fleet.agents];
}

function upSeries(member: Member, values: string) {
  return { series: `up{job="${JOBS.prometheus}", namespace="monitoring", pod="prometheus-0", cluster="${member.cluster}"}`, values };
}

function connectionSeries(leaf: Member, values: string) {
  return {
    series: `thanos_store_nodes_grpc_connections{job="${JOBS.query}", namespace="monitoring", pod="thanos-query-0", ip_port="${leaf.address}", store_type="query"}`,
    values,
  };
}

/** Per member: its Prometheus (or agent) stops at 10m; for a leaf, also the link to it breaks at 10m. */
function historiesFor(fleet: FleetMembers): RuleTestFile {
  const tests: RuleTestFile['tests'] = [];
  for (const stopped of membersOf(fleet)) {
    tests.push({
      name: `${stopped.overlay} (cluster ${stopped.cluster}) stops sending at 10m; its Query, if a leaf, still answers`,
      interval: '1m',
      input_series: [
        ...fleet.leaves.map((leaf) => connectionSeries(leaf, '1x40')),
        ...membersOf(fleet).map((m) => upSeries(m, m === stopped ? '1x9 stale' : '1x40')),
      ],
      alert_rule_test: [
        { eval_time: '12m', alertname: 'FleetClusterNotReporting', exp_alerts: [] },
        {
          eval_time: '20m',
          alertname: 'FleetClusterNotReporting',
          exp_alerts: [{ exp_labels: { cluster: stopped.cluster, overlay: stopped.overlay } }],
        },
        ...(fleet.leaves.length > 0 ? [{ eval_time: '20m', alertname: 'FleetLeafUnreachable', exp_alerts: [] }] : []),
      ],
    });
  }
  for (const lost of fleet.leaves) {
    tests.push({
      name: `the link to leaf ${lost.overlay} breaks at 10m: one page, as unreachable`,
      interval: '1m',
      input_series: [
        ...fleet.leaves.map((leaf) => connectionSeries(leaf, leaf === lost ? '1x9 stale' : '1x40')),
        ...membersOf(fleet).map((m) => upSeries(m, m === lost ? '1x9 stale' : '1x40')),
      ],
      alert_rule_test: [
        {
          eval_time: '20m',
          alertname: 'FleetLeafUnreachable',
          exp_alerts: [{ exp_labels: { cluster: lost.cluster, overlay: lost.overlay, ip_port: lost.address! } }],
        },
        { eval_time: '20m', alertname: 'FleetClusterNotReporting', exp_alerts: [] },
      ],
    });
  }
  return { rule_files: ['thanos-fleet.yaml'], evaluation_interval: '1m', tests };
}

/** The observers of a registry: each one's stack, the fleet its Ruler watches, and the entries that name it. */
function observers(entries: readonly OverlayDefinition[], root: string) {
  const model = registryModel(entries, root);
  return entries
    .filter((e) => e.role === 'observer')
    .map((e) => {
      const stack = model.overlay(e.name).stack;
      return { name: e.name, stack, fleet: fleetMembers(stack), naming: entries.filter((m) => m.observer === e.name) };
    });
}

/** promtool test rules on the observer's own thanos-fleet.yaml, as its Ruler's ConfigMap carries it. */
function run(stack: StackConfig, test: RuleTestFile): { code: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-alerts-'));
  const file = rulerRuleFiles(stack).find((f) => f.name === 'thanos-fleet')!;
  // promtool reads Prometheus' format: the Thanos Ruler removes partial_response_strategy before it does.
  const groups = (renderRuleFile(file).groups as Array<Record<string, unknown>>).map(({ partial_response_strategy: _, ...g }) => g);
  writeFileSync(join(dir, 'thanos-fleet.yaml'), stringify({ groups }));
  const byName = new Map<string, AlertRule>(file.groups.flatMap((g) => g.rules.map((r) => [r.alert, r] as const)));
  writeFileSync(join(dir, 'thanos-fleet.test.yaml'), stringify(completeTest(test, byName)));
  return promtool(['test', 'rules', join(dir, 'thanos-fleet.test.yaml')]);
}

describe("each member of an observer's fleet is named when it stops (an agent's dead-man's switch)", () => {
  // The tests' fleet, with a second agent so that "which agent" is a real question.
  const twoAgents: OverlayDefinition[] = [
    ...FLEET_REGISTRY,
    {
      name: 'edge2-s3',
      role: 'agent',
      observer: 'hub-s3',
      profile: 'staging',
      provider: 's3',
      cluster: 'edge-2',
      namespace: 'monitoring',
      secrets: 'external-secrets',
    },
  ];

  it.each([
    ['the tests’ fleet (two leaves, two agents)', () => observers(twoAgents, fixtureRoot())],
    ['the registry in settings/overlays.ts (any observer it has)', () => observers(readRegistry(REPO_ROOT), REPO_ROOT)],
  ])('%s', (_label, load) => {
    for (const { name, stack, fleet, naming } of load()) {
      if (naming.length === 0) continue;
      expect(fleet, name).toBeDefined();
      // Every agent and leaf that names this observer is in its Ruler's rules, none forgotten.
      expect(
        membersOf(fleet!)
          .map((m) => m.overlay)
          .sort(),
        name,
      ).toEqual(naming.map((m) => m.name).sort());
      const test = historiesFor(fleet!);
      expect(test.tests).toHaveLength(membersOf(fleet!).length + fleet!.leaves.length);
      const result = run(stack, test);
      expect(result.output, name).toContain('SUCCESS');
      expect(result.code, name).toBe(0);
    }
  });

  it('the histories can fail: expecting one agent where the other stopped is reported', () => {
    const hub = observers(twoAgents, fixtureRoot()).find((o) => o.name === 'hub-s3')!;
    const [first, second] = hub.fleet!.agents;
    const test = historiesFor(hub.fleet!);
    const stopped = test.tests.find((t) => t.name!.startsWith(`${first.overlay} `))!;
    stopped.alert_rule_test![1].exp_alerts = [{ exp_labels: { cluster: second.cluster, overlay: second.overlay } }];
    expect(run(hub.stack, { ...test, tests: [stopped] }).code).not.toBe(0);
  });
});
