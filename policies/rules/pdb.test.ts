import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { pdb } from './pdb.js';

const budget = (name: string, selector: unknown, extra: Record<string, unknown> = { maxUnavailable: 1 }) => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace: 'monitoring' },
  spec: { selector, ...extra },
});

policyTable(pdb, [
  {
    name: 'passes: replicated workload with a PDB (matchExpressions), single replica without',
    yaml: yamlOf(
      workload({ name: 'q', replicas: 2, containers: [goodContainer()] }),
      budget('q', { matchExpressions: [{ key: 'app', operator: 'In', values: ['q'] }] }),
      workload({ name: 'one', containers: [goodContainer()] }),
    ),
    expect: {},
  },
  {
    name: 'fails: no PDB, a PDB for other pods, a PDB that allows nothing',
    yaml: yamlOf(
      workload({ kind: 'StatefulSet', name: 'r', replicas: 3, containers: [goodContainer()] }),
      budget('other', { matchLabels: { app: 'other' } }),
      workload({ name: 'z', replicas: 2, containers: [goodContainer()] }),
      budget('z', { matchLabels: { app: 'z' } }, { minAvailable: 2 }),
    ),
    expect: { 'StatefulSet/r': [/3 replicas and no PodDisruptionBudget/], 'Deployment/z': [/warning: .*allows no disruption/] },
  },
]);
