import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { compactTmp } from './compact-tmp.js';

const compact = (name: string, mounts: unknown[]) =>
  workload({
    kind: 'StatefulSet',
    name,
    volumes: [{ name: 'tmp', emptyDir: {} }],
    containers: [goodContainer({ args: ['compact', '--data-dir=/data'], volumeMounts: mounts })],
  });

policyTable(compactTmp, [
  {
    name: 'passes: an emptyDir at /tmp under a read-only root',
    yaml: yamlOf(compact('compact', [{ name: 'tmp', mountPath: '/tmp' }])),
    expect: {},
  },
  {
    name: 'fails: a read-only root and nothing at /tmp',
    yaml: yamlOf(compact('compact', [])),
    expect: { 'StatefulSet/compact': [/read-only root filesystem and nothing writable mounted at \/tmp/] },
  },
]);
