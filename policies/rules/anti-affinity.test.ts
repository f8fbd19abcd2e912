import { describe } from 'vitest';
import { antiAffinity } from './anti-affinity.js';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';

const term = (labels: Record<string, string>, key = 'kubernetes.io/hostname') => ({
  labelSelector: { matchLabels: labels },
  topologyKey: key,
});
const prometheus = goodContainer({ name: 'prometheus', image: 'quay.io/prometheus/prometheus:v3.1.0' });
const query = goodContainer({ args: ['query'] });

policyTable(antiAffinity, [
  {
    name: 'passes: Prometheus with required anti-affinity; Query preferring; Receive with a DoNotSchedule spread; 1 replica',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'prom',
        replicas: 2,
        containers: [prometheus],
        podSpec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'prom' })] } } },
      }),
      workload({
        name: 'q',
        replicas: 2,
        containers: [query],
        podSpec: {
          affinity: {
            podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term({ app: 'q' }) }] },
          },
        },
      }),
      workload({
        kind: 'StatefulSet',
        name: 'recv',
        replicas: 3,
        containers: [goodContainer({ command: ['thanos', 'receive'] })],
        podSpec: {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { app: 'recv' } },
            },
          ],
        },
      }),
      workload({ name: 'single', containers: [query] }),
    ),
    expect: {},
  },
  {
    name: 'fails: Prometheus only preferring; a selector matching other pods; nothing at all (warning for stateless)',
    settings: { profile: 'prod' },
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'prom',
        replicas: 2,
        containers: [prometheus],
        podSpec: {
          affinity: {
            podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term({ app: 'prom' }) }] },
          },
        },
      }),
      workload({
        name: 'q',
        replicas: 2,
        containers: [query],
        podSpec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'query' })] } } },
      }),
      workload({ name: 'bare', replicas: 2, containers: [query] }),
    ),
    expect: {
      'StatefulSet/prom': [/error: 2 replicas of a stateful Prometheus need required pod anti-affinity.*a preference lets/],
      'Deployment/q': [/error: 2 replicas, but no anti-affinity or spread constraint selects its own pods/],
      'Deployment/bare': [/warning: 2 replicas with no pod anti-affinity/],
    },
  },
]);

describe('anti-affinity (mutation)', () => {
  const receive = goodContainer({ args: ['receive', '--receive.local-endpoint=$(POD_NAME):10901'] });
  const spread = (app: string, key: string, when?: string) => ({
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: key, labelSelector: { matchLabels: { app } }, ...(when ? { whenUnsatisfiable: when } : {}) },
    ],
  });
  policyTable(antiAffinity, [
    {
      name: 'passes: a spread constraint without whenUnsatisfiable is DoNotSchedule (the API default), enough for Prometheus',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'prom',
          replicas: 2,
          containers: [prometheus],
          podSpec: spread('prom', 'kubernetes.io/hostname'),
        }),
      ),
      expect: {},
    },
    {
      name: 'fails: a ScheduleAnyway spread is only a preference for a Receive ingestor; a spread on a non-node key names the pod labels',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'recv',
          replicas: 3,
          containers: [receive],
          podSpec: spread('recv', 'kubernetes.io/hostname', 'ScheduleAnyway'),
        }),
        workload({
          name: 'q',
          replicas: 2,
          containers: [query],
          podSpec: spread('q', 'node.kubernetes.io/instance-type', 'DoNotSchedule'),
        }),
      ),
      settings: { profile: 'dev' },
      expect: {
        'StatefulSet/recv': [
          /^error: 3 replicas of a stateful Receive need required pod anti-affinity on kubernetes\.io\/hostname \(or a DoNotSchedule spread constraint\); a preference lets two replicas share a node$/,
        ],
        'Deployment/q': [
          /^error: 2 replicas, but no anti-affinity or spread constraint selects its own pods on a node or zone topology key \(check labelSelector against the pod labels app=q\)$/,
        ],
      },
    },
  ]);
});
