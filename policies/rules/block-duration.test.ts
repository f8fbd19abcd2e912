import { blockDuration } from './block-duration.js';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';

const prom = (name: string, promArgs: string[], opts: { claims?: string[]; volumes?: unknown[]; upload?: boolean } = {}) =>
  workload({
    kind: 'StatefulSet',
    name,
    replicas: 2,
    claims: opts.claims,
    volumes: opts.volumes,
    containers: [
      goodContainer({
        name: 'prometheus',
        image: 'quay.io/prometheus/prometheus:v3.1.0',
        args: promArgs,
        volumeMounts: [{ name: 'data', mountPath: '/prometheus' }],
      }),
      goodContainer({
        name: 'sidecar',
        args: ['sidecar', ...(opts.upload === false ? [] : ['--objstore.config-file', '/etc/objstore.yml'])],
      }),
    ],
  });
const good = [
  '--storage.tsdb.path=/prometheus',
  '--storage.tsdb.min-block-duration=2h',
  '--storage.tsdb.max-block-duration',
  '2h',
  '--storage.tsdb.retention.time=24h',
];

policyTable(blockDuration, [
  {
    name: 'passes: 2h blocks, 24h retention, PVC; a sidecar that does not upload is not checked',
    yaml: yamlOf(
      prom('ok', good, { claims: ['data'] }),
      prom('query-only', [], { upload: false, volumes: [{ name: 'data', emptyDir: {} }] }),
    ),
    expect: {},
  },
  {
    name: 'fails: default block durations, short retention, emptyDir',
    yaml: yamlOf(
      prom('defaults', ['--storage.tsdb.retention.time=4h'], { volumes: [{ name: 'data', emptyDir: {} }] }),
      prom('unequal', ['--storage.tsdb.min-block-duration=2h', '--storage.tsdb.max-block-duration=1d'], { claims: ['data'] }),
    ),
    expect: {
      'StatefulSet/defaults': [
        /set both --storage.tsdb.min-block-duration and --storage.tsdb.max-block-duration/,
        /retention 4h is below 3 x/,
        /is on an emptyDir, not a PersistentVolumeClaim/,
      ],
      'StatefulSet/unequal': [/min-block-duration=2h differs from --storage.tsdb.max-block-duration=1d/],
    },
  },
]);
