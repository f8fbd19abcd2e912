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
