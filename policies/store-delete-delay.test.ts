import { goodContainer, workload, yamlOf } from './engine/fixtures.js';
import { policyTable } from './engine/testing.js';
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
]);
