import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { storeDeleteDelay } from './store-delete-delay.js';

const t = (kind: 'StatefulSet' | 'Deployment', name: string, args: string[], ns = 'monitoring') =>
  workload({ kind, name, namespace: ns, containers: [goodContainer({ args })] });

policyTable(storeDeleteDelay, [
  {
    name: 'passes: 24h below 48h; defaults; --flag value form',
    yaml: yamlOf(
      t('StatefulSet', 'store', ['store', '--ignore-deletion-marks-delay=24h']),
      t('StatefulSet', 'compact', ['compact', '--delete-delay', '48h']),
      t('StatefulSet', 'store-default', ['store']),
    ),
    expect: {},
  },
  {
    name: 'fails: store delay equal to or above the compactor delay',
    yaml: yamlOf(
      t('StatefulSet', 'store', ['store', '--ignore-deletion-marks-delay', '48h']),
      t('StatefulSet', 'compact', ['compact', '--delete-delay=48h']),
      t('StatefulSet', 'store-2', ['store', '--ignore-deletion-marks-delay=3d']),
    ),
    expect: {
      'StatefulSet/store': [/--ignore-deletion-marks-delay=48h is not below StatefulSet compact --delete-delay=48h/],
      'StatefulSet/store-2': [/=3d is not below/],
    },
  },
  {
    name: 'passes: a store and a compactor of two stacks (namespaces) whose storage the input cannot see are not compared',
    yaml: yamlOf(
      t(
        'StatefulSet',
        'store',
        ['store', '--ignore-deletion-marks-delay=72h', '--objstore.config-file=/vault/secrets/objstore.yml'],
        'team-a',
      ),
      t('StatefulSet', 'compact', ['compact', '--delete-delay=48h', '--objstore.config-file=/vault/secrets/objstore.yml'], 'team-b'),
    ),
    expect: {},
  },
  {
    name: 'fails: a store and a compactor in two namespaces on one visible bucket, the compactor named with its namespace',
    yaml: yamlOf(
      workload({
        kind: 'StatefulSet',
        name: 'store',
        namespace: 'team-a',
        containers: [
          goodContainer({ args: ['store', '--ignore-deletion-marks-delay=72h', '--objstore.config=type: GCS\nconfig: {bucket: shared}'] }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'compact',
        namespace: 'team-b',
        containers: [goodContainer({ args: ['compact', '--delete-delay=48h', '--objstore.config=type: GCS\nconfig: {bucket: shared}'] })],
      }),
    ),
    expect: { 'StatefulSet/store': [/=72h is not below StatefulSet team-b\/compact --delete-delay=48h/] },
  },
]);
