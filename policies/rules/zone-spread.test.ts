import { describe } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { zoneSpread } from './zone-spread.js';

const zone = {
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { app: 'spread' } },
    },
  ],
};
const set = (name: string, replicas: number, podSpec?: Record<string, unknown>) =>
  workload({ kind: 'StatefulSet', name, replicas, containers: [goodContainer()], podSpec });

policyTable(zoneSpread, [
  {
    name: 'passes: spread over zones, one replica, or --file input judged as no profile',
    yaml: yamlOf(set('spread', 3, zone), set('single', 1), set('plain', 2)),
    expect: {},
  },
  {
    name: 'warns with --profile prod: replicas without zone spreading, or a constraint that selects other pods',
    yaml: yamlOf(set('spread', 3, zone), set('plain', 2), set('other', 2, zone)),
    settings: { profile: 'prod' },
    expect: { 'StatefulSet/plain': [/warning: 2 replicas and no spreading over zones/], 'StatefulSet/other': [/warning: 2 replicas/] },
  },
]);

describe('zone-spread (mutation)', () => {
  const antiAffinity = (name: string, key: string, preferred: boolean) => {
    const term = { topologyKey: key, labelSelector: { matchLabels: { app: name } } };
    return {
      affinity: {
        podAntiAffinity: preferred
          ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] }
          : { requiredDuringSchedulingIgnoredDuringExecution: [term] },
      },
    };
  };
  policyTable(zoneSpread, [
    {
      name: 'passes with --profile prod: zone anti-affinity, required or preferred, on either zone label; one replica needs none',
      yaml: yamlOf(
        set('required', 3, antiAffinity('required', 'topology.kubernetes.io/zone', false)),
        set('preferred', 3, antiAffinity('preferred', 'topology.kubernetes.io/zone', true)),
        set('beta', 2, antiAffinity('beta', 'failure-domain.beta.kubernetes.io/zone', true)),
        set('single', 1),
      ),
      settings: { profile: 'prod' },
      expect: {},
    },
    {
      name: 'warns with --profile prod: anti-affinity on the hostname only spreads over nodes, not zones',
      yaml: yamlOf(
        set('hosts', 3, antiAffinity('hosts', 'kubernetes.io/hostname', true)),
        set('required-hosts', 2, antiAffinity('required-hosts', 'kubernetes.io/hostname', false)),
      ),
      settings: { profile: 'prod' },
      expect: {
        'StatefulSet/hosts': [
          /^warning: 3 replicas and no spreading over zones \(topology\.kubernetes\.io\/zone\): one zone outage can take all of them$/,
        ],
        'StatefulSet/required-hosts': [/^warning: 2 replicas and no spreading over zones/],
      },
    },
  ]);
});
