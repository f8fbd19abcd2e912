import { describe } from 'vitest';
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

describe('pdb (mutation)', () => {
  const replicated = (name: string, replicas = 3) => workload({ kind: 'StatefulSet', name, replicas, containers: [goodContainer()] });
  policyTable(pdb, [
    {
      name: 'passes: budgets that leave room to evict (maxUnavailable 1, minAvailable 2 of 3, minAvailable 50%, maxUnavailable 10%)',
      yaml: yamlOf(
        replicated('a'),
        budget('a', { matchLabels: { app: 'a' } }),
        replicated('b'),
        budget('b', { matchLabels: { app: 'b' } }, { minAvailable: 2 }),
        replicated('c'),
        budget('c', { matchLabels: { app: 'c' } }, { minAvailable: '50%' }),
        replicated('d'),
        budget('d', { matchLabels: { app: 'd' } }, { maxUnavailable: '10%' }),
      ),
      expect: {},
    },
    {
      name: 'fails: maxUnavailable 0, maxUnavailable 0%, minAvailable 100% and minAvailable above the replicas block every drain',
      yaml: yamlOf(
        replicated('a'),
        budget('a', { matchLabels: { app: 'a' } }, { maxUnavailable: 0 }),
        replicated('b'),
        budget('b', { matchLabels: { app: 'b' } }, { maxUnavailable: '0%' }),
        replicated('c'),
        budget('c', { matchLabels: { app: 'c' } }, { minAvailable: '100%' }),
        replicated('d'),
        budget('d', { matchLabels: { app: 'd' } }, { minAvailable: 4 }),
      ),
      expect: {
        'StatefulSet/a': [/^warning: PodDisruptionBudget a allows no disruption: node drains will block$/],
        'StatefulSet/b': [/^warning: PodDisruptionBudget b allows no disruption/],
        'StatefulSet/c': [/^warning: PodDisruptionBudget c allows no disruption/],
        'StatefulSet/d': [/^warning: PodDisruptionBudget d allows no disruption/],
      },
    },
    {
      name: 'fails: two budgets over the same pods make the eviction API refuse (both named, sorted)',
      yaml: yamlOf(replicated('r'), budget('r-two', { matchLabels: { app: 'r' } }), budget('r-one', { matchLabels: { app: 'r' } })),
      expect: {
        'StatefulSet/r': [
          /^warning: more than one PodDisruptionBudget selects its pods \(r-one, r-two\); the eviction API refuses to evict them$/,
        ],
      },
    },
    {
      name: 'fails: a budget without a selector, or in another namespace, selects none of the pods',
      yaml: yamlOf(
        replicated('s', 2),
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 's', namespace: 'monitoring' },
          spec: { maxUnavailable: 1 },
        },
        { ...budget('s-elsewhere', { matchLabels: { app: 's' } }), metadata: { name: 's-elsewhere', namespace: 'other' } },
      ),
      expect: { 'StatefulSet/s': [/^warning: 2 replicas and no PodDisruptionBudget selects its pods$/] },
    },
  ]);
});
