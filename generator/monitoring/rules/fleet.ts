import type { AgentMember, LeafEndpoint } from '../../../settings/schema/stack.js';
import { CLUSTER_LABEL } from '../../../core/names.js';
import { JOBS } from '../scrape.js';
import { sel, type RuleGroup } from './types.js';

/** The members of one observer's fleet, as the registry derives them (stack.fleet). */
export interface FleetMembers {
  readonly leaves: readonly Pick<LeafEndpoint, 'overlay' | 'cluster' | 'address'>[];
  readonly agents: readonly AgentMember[];
}

/** A one-sample vector carrying these labels: PromQL's only way to write down a list. */
function constant(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).reduce((expr, [name, value]) => `label_replace(${expr}, "${name}", "${value}", "", "")`, 'vector(1)');
}

function anyOf(vectors: readonly string[]): string {
  return `(${vectors.join(' or ')})`;
}

/**
 * Per member cluster of an observer's fleet, evaluated by its Ruler through its Query: a leaf the
 * Query cannot reach, and a member (leaf or agent) whose Prometheus sends nothing. A leaf that is
 * unreachable also sends nothing; it pages once, as unreachable.
 */
export function fleetRules(members: FleetMembers): RuleGroup {
  const leaves = members.leaves.map((l) => constant({ [CLUSTER_LABEL]: l.cluster, overlay: l.overlay, ip_port: l.address }));
  // Connected endpoints only: a leaf that fails its health check leaves the metric (it is not strict,
  // generator/components/query.ts), thanos v0.42.4 pkg/query/endpointset.go:438-456, :146-150.
  const unreachable = `${anyOf(leaves)} unless on (ip_port) ${sel('thanos_store_nodes_grpc_connections', JOBS.query)}`;
  const all = [
    ...members.leaves.map((l) => constant({ [CLUSTER_LABEL]: l.cluster, overlay: l.overlay })),
    ...members.agents.map((a) => constant({ [CLUSTER_LABEL]: a.cluster, overlay: a.overlay })),
  ];
  const reporting = `max by (${CLUSTER_LABEL}) (${sel('up', JOBS.prometheus)} == 1)`;
  return {
    name: 'thanos-fleet',
    // One dead leaf must not fail every evaluation of the group: answer with the clusters that answer.
    partialResponseStrategy: 'warn',
    rules: [
      ...(leaves.length > 0
        ? [
            {
              alert: 'FleetLeafUnreachable',
              expr: unreachable,
              for: '5m',
              severity: 'critical' as const,
              summary: "Leaf cluster {{ $labels.cluster }} is unreachable from the observer's Query.",
              description:
                "The observer's Query has no connection to leaf {{ $labels.overlay }} ({{ $labels.ip_port }}): queries and alerts across the fleet go without its last 2h. Check the link, the leaf's exposure and its certificates.",
              window: 'fires within 10m of the link going down (health checks, a scrape, an evaluation and 5m for)',
              runbook: {
                meaning:
                  "The observer's Query cannot reach the leaf's Query over mTLS: the link, the leaf's LoadBalancer or TLSRoute, or a certificate is broken, or the leaf's Query is down. Its older data is still in the bucket; the leaf keeps alerting on its own data through its Alertmanager.",
                confirm: [
                  'thanos_store_nodes_grpc_connections{job="thanos-query"}',
                  'kubectl -n <namespace> logs deploy/thanos-query | grep -i <leaf host>',
                  'In the leaf cluster: kubectl -n <namespace> get pods -l app.kubernetes.io/name=thanos-query',
                ],
                fix: [
                  "Leaf Query down: see the leaf's own alerts and pods.",
                  'TLS errors in the log: renew or fix the certificates (docs/fleet.md, Certificates).',
                  'Timeouts: the exposure (LoadBalancer address, Gateway listener) or a firewall between the clusters.',
                ],
                escalate:
                  'Page the owner of the leaf cluster if it is not back within 30 minutes; its alerts still reach its own Alertmanager.',
              },
            },
          ]
        : []),
      {
        alert: 'FleetClusterNotReporting',
        expr: `${anyOf(all)} unless on (${CLUSTER_LABEL}) ${reporting}${leaves.length > 0 ? ` unless on (${CLUSTER_LABEL}) (${unreachable})` : ''}`,
        for: '5m',
        severity: 'critical',
        summary: 'Cluster {{ $labels.cluster }} sends no data to the observer.',
        description:
          'No Prometheus of {{ $labels.overlay }} (cluster {{ $labels.cluster }}) is up as seen from the observer: its Prometheus or agent stopped, or (for an agent) remote write does not arrive. Check that cluster.',
        window: 'fires within 15m of the last sample (5m lookback, 5m for, an evaluation); silent while the leaf is unreachable instead',
        runbook: {
          meaning:
            "Nothing from this cluster reaches the observer: a leaf's Prometheus pair is down (its Query still answers), or an agent stopped or cannot remote-write to the observer's Receive. Its data is missing fleet-wide, and an agent, which evaluates no rules, alerts on nothing.",
          confirm: [
            'max by (cluster) (up{job="prometheus"} == 1)',
            'In that cluster: kubectl -n <namespace> get pods -l app.kubernetes.io/name=prometheus',
            "An agent: rate(prometheus_remote_storage_samples_failed_total[5m]) in its own Prometheus; the observer's thanos-receive log",
          ],
          fix: [
            'Prometheus pods down: read their events and logs --previous (OOM, volume, node).',
            "An agent's remote write failing: the observer's Receive exposure and the agent's client certificate (docs/fleet.md).",
          ],
          escalate: 'Page the owner of that cluster: its metrics are not collected or not delivered.',
        },
      },
    ],
  };
}
