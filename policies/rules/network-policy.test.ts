import { describe } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { allowQueryToStore, defaultDeny, headless, netpol, query, store } from '../testing/network-fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { networkPolicy } from './network-policy.js';

policyTable(networkPolicy, [
  {
    name: 'passes: default deny, and the discovery flow allowed on both ends',
    yaml: yamlOf(defaultDeny, ...allowQueryToStore, headless('store', 'store', [['grpc', 10901]]), query, store),
    expect: {},
  },
  {
    name: 'passes: a default deny that blocks the flow Query discovery needs (network-flow reports that, whatever the profile)',
    yaml: yamlOf(defaultDeny, headless('store', 'store', [['grpc', 10901]]), query, store),
    expect: {},
  },
  {
    name: 'fails: no NetworkPolicy selects a workload (a practice: a warning for --file input without a profile)',
    yaml: yamlOf(
      netpol('store-only', { matchLabels: { app: 'store' } }, { policyTypes: ['Ingress'], ingress: [{}] }),
      store,
      workload({ name: 'lonely', containers: [goodContainer()] }),
    ),
    expect: { 'Deployment/lonely': [/^warning: no NetworkPolicy selects its pods/] },
  },
  {
    name: 'fails: no NetworkPolicy selects a workload; an error with --profile',
    yaml: yamlOf(
      netpol('store-only', { matchLabels: { app: 'store' } }, { policyTypes: ['Ingress'], ingress: [{}] }),
      store,
      workload({ name: 'lonely', containers: [goodContainer()] }),
    ),
    settings: { profile: 'dev' },
    expect: { 'Deployment/lonely': [/^error: no NetworkPolicy selects its pods/] },
  },
]);

describe('network-policy (mutation)', () => {
  policyTable(networkPolicy, [
    {
      name: 'passes: a policy without a spec has no podSelector, which selects every pod of its namespace',
      yaml: yamlOf(
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'empty', namespace: 'monitoring' } },
        workload({ name: 'lonely', containers: [goodContainer()] }),
      ),
      expect: {},
    },
    {
      name: 'fails: a policy in another namespace selects none of these pods, and the message says what any pod can do',
      yaml: yamlOf(
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'empty', namespace: 'elsewhere' } },
        workload({ kind: 'StatefulSet', name: 'lonely', containers: [goodContainer()] }),
      ),
      settings: { profile: 'dev' },
      expect: {
        'StatefulSet/lonely': [/^error: no NetworkPolicy selects its pods: any pod in the cluster can reach it and it can reach anything$/],
      },
    },
  ]);
});
