import { describe } from 'vitest';
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

describe('compact-tmp (mutation)', () => {
  const writableRoot = (name: string) =>
    workload({
      kind: 'StatefulSet',
      name,
      containers: [
        goodContainer({
          args: ['compact', '--data-dir=/data'],
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, readOnlyRootFilesystem: false },
        }),
      ],
    });
  const withTmpdir = (name: string, value: string) =>
    workload({
      kind: 'StatefulSet',
      name,
      containers: [goodContainer({ args: ['compact', '--data-dir=/data'], env: [{ name: 'TMPDIR', value }] })],
    });
  policyTable(compactTmp, [
    {
      name: 'passes: a writable root filesystem needs no /tmp mount',
      yaml: yamlOf(writableRoot('compact')),
      expect: {},
    },
    {
      name: 'passes: /tmp/ written with a trailing slash is the same mount point',
      yaml: yamlOf(compact('compact', [{ name: 'tmp', mountPath: '/tmp/' }])),
      expect: {},
    },
    {
      name: 'passes: TMPDIR names a writable directory elsewhere (Go reads os.TempDir from TMPDIR)',
      yaml: yamlOf(withTmpdir('compact', '/data/tmp')),
      expect: {},
    },
    {
      name: 'fails: an empty TMPDIR falls back to /tmp, and a mount at /tmpfs is not /tmp',
      yaml: yamlOf(withTmpdir('compact-a', ''), compact('compact-b', [{ name: 'tmp', mountPath: '/tmpfs' }, { name: 'x' }])),
      expect: {
        'StatefulSet/compact-a': [/^error: container app has a read-only root filesystem and nothing writable mounted at \/tmp$/],
        'StatefulSet/compact-b': [/^error: container app has a read-only root filesystem/],
      },
    },
  ]);
});
