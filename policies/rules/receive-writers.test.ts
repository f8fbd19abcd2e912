import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { receiveWriters } from './receive-writers.js';

const receive = (name: string, annotations?: Record<string, string>) =>
  workload({
    kind: 'StatefulSet',
    name,
    replicas: 3,
    annotations,
    containers: [goodContainer({ args: ['receive', '--tsdb.path=/data'], env: POD_ENV })],
  });

policyTable(receiveWriters, [
  {
    name: 'passes: a Receive with its writers named; a workload that is not a Receive',
    yaml: yamlOf(
      receive('named', { 'thanos-ha.dev/remote-writers': 'edge-eu-1 Prometheus agent, edge-us-1 Prometheus agent' }),
      workload({ kind: 'StatefulSet', name: 'store', containers: [goodContainer({ args: ['store'] })] }),
    ),
    expect: {},
  },
  {
    name: 'fails (warning): no annotation; an empty list',
    yaml: yamlOf(receive('unnamed'), receive('empty', { 'thanos-ha.dev/remote-writers': ' , ' })),
    expect: {
      'StatefulSet/unnamed': [
        /^warning: container app: thanos receive with no declared writer \(thanos-ha.dev\/remote-writers is absent\)/,
      ],
      'StatefulSet/empty': [/^warning: .*remote-writers is empty\)/],
    },
  },
]);
