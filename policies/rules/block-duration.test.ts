import { describe } from 'vitest';
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

describe('block-duration (mutation)', () => {
  const blocks = ['--storage.tsdb.min-block-duration=2h', '--storage.tsdb.max-block-duration=2h'];
  /** A v3.13 Prometheus reading its config from a ConfigMap (where v3.11+ reads retention), with an uploading sidecar. */
  const withConfig = (name: string, config: string, args: string[]) => [
    workload({
      kind: 'StatefulSet',
      name,
      replicas: 2,
      claims: ['data'],
      volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
      containers: [
        goodContainer({
          name: 'prometheus',
          image: 'quay.io/prometheus/prometheus:v3.13.2',
          args: ['--config.file=/etc/prometheus/prometheus.yaml', '--storage.tsdb.path=/prometheus', ...args],
          volumeMounts: [
            { name: 'data', mountPath: '/prometheus' },
            { name: 'config', mountPath: '/etc/prometheus' },
          ],
        }),
        goodContainer({ name: 'sidecar', args: ['sidecar', '--objstore.config-file', '/etc/objstore.yml'] }),
      ],
    }),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-config`, namespace: 'monitoring' },
      data: { 'prometheus.yaml': config },
    },
  ];
  policyTable(blockDuration, [
    {
      name: 'passes: a retention of exactly three 2h blocks (6h, the floor docs/components/sidecar.md:26 at Thanos v0.42.4 names)',
      yaml: yamlOf(
        prom('six-hours', ['--storage.tsdb.path=/prometheus', ...blocks, '--storage.tsdb.retention.time=6h'], { claims: ['data'] }),
      ),
      expect: {},
    },
    {
      name: 'passes: a StatefulSet without a pod template (a partial patch; the schema rule reports it)',
      yaml: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: patch, namespace: monitoring}\nspec: {replicas: 2}\n',
      expect: {},
    },
    {
      name: 'warns: an uploading sidecar beside a container no image names as Prometheus',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'custom',
          claims: ['data'],
          containers: [
            goodContainer({ name: 'tsdb', image: 'registry.example.com/metrics/server:1.0' }),
            goodContainer({ name: 'sidecar', args: ['sidecar', '--objstore.config-file=/etc/objstore.yml'] }),
          ],
        }),
      ),
      expect: { 'StatefulSet/custom': [/^warning: has an uploading Thanos sidecar but no Prometheus container was recognised/] },
    },
    {
      name: 'fails: a sidecar uploading through an inline --objstore.config is checked like one with a file',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'inline',
          claims: ['data'],
          containers: [
            goodContainer({
              name: 'prometheus',
              image: 'quay.io/prometheus/prometheus:v3.13.2',
              args: ['--storage.tsdb.path=/prometheus'],
              volumeMounts: [{ name: 'data', mountPath: '/prometheus' }],
            }),
            goodContainer({ name: 'sidecar', args: ['sidecar', '--objstore.config=$(OBJSTORE_CONFIG)'] }),
          ],
        }),
      ),
      expect: { 'StatefulSet/inline': [/^error: container prometheus: set both --storage.tsdb.min-block-duration and/] },
    },
    {
      name: 'fails: only one of the two block durations set (either one)',
      yaml: yamlOf(
        prom('min-only', ['--storage.tsdb.path=/prometheus', '--storage.tsdb.min-block-duration=2h'], { claims: ['data'] }),
        prom('max-only', ['--storage.tsdb.path=/prometheus', '--storage.tsdb.max-block-duration=2h'], { claims: ['data'] }),
      ),
      expect: {
        'StatefulSet/min-only': [/^error: container prometheus: set both/],
        'StatefulSet/max-only': [/^error: container prometheus: set both/],
      },
    },
    {
      name: 'fails: a block duration that is not a duration (either one); retention then judged against 2h blocks',
      yaml: yamlOf(
        prom(
          'bad-min',
          ['--storage.tsdb.path=/prometheus', '--storage.tsdb.min-block-duration=2hours', '--storage.tsdb.max-block-duration=2h'],
          {
            claims: ['data'],
          },
        ),
        prom(
          'bad-max',
          [
            '--storage.tsdb.path=/prometheus',
            '--storage.tsdb.min-block-duration=2h',
            '--storage.tsdb.max-block-duration=two',
            '--storage.tsdb.retention.time=5h',
          ],
          { claims: ['data'] },
        ),
      ),
      expect: {
        'StatefulSet/bad-min': [/^error: container prometheus: block durations 2hours \/ 2h are not durations$/],
        'StatefulSet/bad-max': [
          /^error: container prometheus: block durations 2h \/ two are not durations$/,
          /^error: .*retention 5h is below 3 x/,
        ],
      },
    },
    {
      name: 'warns: equal 1h blocks are not the 2h Thanos expects; the retention is judged against 1h (4h is enough, 2h is not; three block durations: docs/components/sidecar.md:26 at Thanos v0.42.4)',
      yaml: yamlOf(
        prom(
          'hourly',
          [
            '--storage.tsdb.path=/prometheus',
            '--storage.tsdb.min-block-duration=1h',
            '--storage.tsdb.max-block-duration=1h',
            '--storage.tsdb.retention.time=4h',
          ],
          { claims: ['data'] },
        ),
        prom(
          'hourly-short',
          [
            '--storage.tsdb.path=/prometheus',
            '--storage.tsdb.min-block-duration=1h',
            '--storage.tsdb.max-block-duration=1h',
            '--storage.tsdb.retention.time=2h',
          ],
          { claims: ['data'] },
        ),
      ),
      expect: {
        'StatefulSet/hourly': [/^warning: container prometheus: block duration 1h is not the 2h Thanos expects$/],
        'StatefulSet/hourly-short': [
          /^warning: .*block duration 1h is not the 2h/,
          /^error: container prometheus: retention 2h is below 3 x the block duration/,
        ],
      },
    },
    {
      name: 'retention from the config file on v3.13: a 4h time fails, a size-only block (no time limit) passes; a retention that is no duration fails',
      yaml: yamlOf(
        ...withConfig('file-short', 'storage:\n  tsdb:\n    retention: {time: 4h}\n', blocks),
        ...withConfig('file-size', 'storage:\n  tsdb:\n    retention: {size: 80GB}\n', blocks),
        ...withConfig('file-typo', 'storage:\n  tsdb:\n    retention: {time: 15days}\n', blocks),
      ),
      expect: {
        'StatefulSet/file-short': [/^error: container prometheus: retention 4h is below 3 x the block duration/],
        'StatefulSet/file-typo': [/^error: container prometheus: retention 15days is not a duration$/],
      },
    },
    {
      // cmd/prometheus/main.go:484-485 at v3.13.2: --storage.tsdb.path defaults to `data/`; Dockerfile:23: WORKDIR /prometheus.
      name: 'TSDB path: the default data/ under the image WORKDIR or the container workingDir; a relative flag on no volume; a mount of no claim; a hostPath',
      yaml: yamlOf(
        workload({
          kind: 'StatefulSet',
          name: 'default-path',
          claims: ['data'],
          containers: [
            goodContainer({
              name: 'prometheus',
              image: 'quay.io/prometheus/prometheus:v3.13.2',
              args: blocks,
              volumeMounts: [{ name: 'data', mountPath: '/prometheus/data' }],
            }),
            goodContainer({ name: 'sidecar', args: ['sidecar', '--objstore.config-file=/etc/objstore.yml'] }),
          ],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'working-dir',
          claims: ['data'],
          containers: [
            goodContainer({
              name: 'prometheus',
              image: 'quay.io/prometheus/prometheus:v3.13.2',
              workingDir: '/var/lib/prometheus',
              args: [...blocks, '--storage.tsdb.path=tsdb'],
              volumeMounts: [{ name: 'data', mountPath: '/prometheus' }],
            }),
            goodContainer({ name: 'sidecar', args: ['sidecar', '--objstore.config-file=/etc/objstore.yml'] }),
          ],
        }),
        prom('no-claim', blocks, {}),
        prom('host', ['--storage.tsdb.path=/prometheus', ...blocks], {
          volumes: [{ name: 'data', hostPath: { path: '/srv/prometheus' } }],
        }),
      ),
      expect: {
        'StatefulSet/working-dir': [
          /^error: container prometheus: the TSDB at \/var\/lib\/prometheus\/tsdb is on no volume \(the container filesystem\)/,
        ],
        'StatefulSet/no-claim': [
          /^error: container prometheus: the TSDB at \/prometheus\/data is on volume data, not a PersistentVolumeClaim/,
        ],
        'StatefulSet/host': [/^error: container prometheus: the TSDB at \/prometheus is on volume data, not a PersistentVolumeClaim/],
      },
    },
  ]);
});
