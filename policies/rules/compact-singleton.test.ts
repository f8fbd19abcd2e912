import { describe, expect, it } from 'vitest';
import { compactSingleton, compactorsByBucket } from './compact-singleton.js';
import { checkObjects } from '../engine/run.js';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { parseStream } from '../engine/parse.js';
import { policyTable } from '../testing/rule-cases.js';

const objstoreVolume = [{ name: 'objstore', secret: { secretName: 'thanos-objstore' } }];
const mount = [{ name: 'objstore', mountPath: '/etc/thanos' }];
const compactor = (name: string, extra: Parameters<typeof workload>[0] | object = {}, args: string[] = []) =>
  workload({
    kind: 'StatefulSet',
    name,
    containers: [
      goodContainer({ args: ['compact', '--wait', '--objstore.config-file=/etc/thanos/objstore.yml', ...args], volumeMounts: mount }),
    ],
    volumes: objstoreVolume,
    ...extra,
  });

policyTable(compactSingleton, [
  {
    name: 'passes: one compactor; two sharded compactors with different selectors',
    yaml: yamlOf(
      compactor('c'),
      compactor('shard-a', { namespace: 'a' }, ['--selector.relabel-config=- action: keep\n  source_labels: [tenant]\n  regex: a']),
      compactor('shard-a-2', { namespace: 'a', name: 'shard-b' }, [
        '--selector.relabel-config',
        '- action: keep\n  source_labels: [tenant]\n  regex: b',
      ]),
    ),
    expect: {},
  },
  {
    name: 'fails: 2 replicas; a rolling Deployment; an unsharded compactor beside a sharded one',
    yaml: yamlOf(
      compactor('two', { namespace: 'x', replicas: 2 }),
      workload({
        name: 'rolling',
        namespace: 'y',
        containers: [
          goodContainer({ command: ['thanos', 'compact'], args: ['--objstore.config', 'type: S3\nconfig: {bucket: b, endpoint: e}'] }),
        ],
      }),
      compactor('plain', { namespace: 'z' }),
      compactor('sharded', { namespace: 'z' }, ['--selector.relabel-config-file=/etc/shard.yaml']),
    ),
    expect: {
      'StatefulSet/two': [/2 replicas/],
      'Deployment/rolling': [/rolling update/],
      'StatefulSet/plain': [
        /same blocks \(Secret thanos-objstore key objstore.yml\) as StatefulSet z\/sharded, and this one is not sharded/,
      ],
      'StatefulSet/sharded': [/as StatefulSet z\/plain, and StatefulSet z\/plain is not sharded/],
    },
  },
]);

describe('compact-singleton across overlays', () => {
  const set = (name: string, bucket: string) => {
    const parsed = parseStream(
      yamlOf(compactor('thanos-compact'), {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'thanos-objstore', namespace: 'monitoring' },
        stringData: { 'objstore.yml': `type: GCS\nconfig:\n  bucket: ${bucket}\n` },
      }),
      { file: name, overlay: name },
    );
    return { name, index: checkObjects(parsed.objects, []).index };
  };
  it('reports two overlays whose compactors share a bucket, and not different buckets', () => {
    const found = compactSingleton.checkAcrossSets!([set('prod', 'metrics'), set('staging', 'metrics'), set('dev', 'dev-metrics')]);
    expect(found.map((d) => `${d.set}: ${d.message}`)).toEqual([
      'prod: overlay prod and overlay staging both run a compactor on GCS metrics (StatefulSet monitoring/thanos-compact there); if both are deployed they compact the same blocks',
      'staging: overlay staging and overlay prod both run a compactor on GCS metrics (StatefulSet monitoring/thanos-compact there); if both are deployed they compact the same blocks',
    ]);
  });

  const member = (role: string, yaml: string) =>
    yamlOf({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'monitoring', labels: { 'thanos-ha.dev/fleet': 'hub', 'thanos-ha.dev/fleet-role': role } },
    }) +
    '---\n' +
    yaml;
  const fleetSet = (name: string, role: string, bucket: string) => {
    const parsed = parseStream(
      member(
        role,
        yamlOf(compactor('thanos-compact'), {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'thanos-objstore', namespace: 'monitoring' },
          stringData: { 'objstore.yml': `type: GCS\nconfig:\n  bucket: ${bucket}\n` },
        }),
      ),
      { file: name, overlay: name },
    );
    return { name, index: checkObjects(parsed.objects, []).index };
  };
  it("names a leaf that runs its own compactor on its observer's bucket, and its observer", () => {
    const found = compactSingleton.checkAcrossSets!([fleetSet('hub', 'observer', 'fleet'), fleetSet('north', 'leaf', 'fleet')]);
    expect(found.map((d) => `${d.set}: ${d.message}`)).toEqual([
      'hub: overlay hub and overlay north both run a compactor on GCS fleet (StatefulSet monitoring/thanos-compact there); if both are deployed they compact the same blocks',
      'north: leaf north runs a compactor on GCS fleet, the bucket its observer hub compacts (StatefulSet monitoring/thanos-compact there): a leaf never compacts, and two compactors on one bucket produce overlapping blocks and halt',
    ]);
  });
  it("groups the compactors of a fleet by bucket, with each set's role", () => {
    const groups = compactorsByBucket([fleetSet('hub', 'observer', 'fleet'), fleetSet('north', 'leaf', 'fleet'), set('solo', 'solo')]);
    expect(
      [...groups].map(([bucket, list]) => `${bucket}: ${list.map((c) => `${c.set}${c.member ? ` (${c.member.role})` : ''}`).join(', ')}`),
    ).toEqual(['GCS fleet: hub (observer), north (leaf)', 'GCS solo: solo']);
  });
});

describe('compact-singleton (mutation)', () => {
  const bucketSecret = (name: string, bucket: string, ns = 'monitoring') => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns },
    stringData: { 'objstore.yml': `type: GCS\nconfig:\n  bucket: ${bucket}\n` },
  });
  const onSecret = (name: string, secretName: string, args: string[] = []) =>
    compactor(name, { volumes: [{ name: 'objstore', secret: { secretName } }] }, args);
  const hashmod = (modulus: number, keep: string) =>
    `--selector.relabel-config=- action: hashmod\n  source_labels: [cluster]\n  target_label: shard\n  modulus: ${modulus}\n- action: keep\n  source_labels: [shard]\n  regex: "${keep}"`;
  const keepCluster = (regex: string) => `--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: ${regex}`;
  const ruler = (cluster: string) =>
    workload({
      kind: 'StatefulSet',
      name: 'rule',
      containers: [
        goodContainer({
          args: ['rule', `--label=cluster="${cluster}"`, '--objstore.config-file=/etc/thanos/objstore.yml'],
          volumeMounts: mount,
        }),
      ],
      volumes: objstoreVolume,
    });
  policyTable(compactSingleton, [
    {
      // A StatefulSet stops the old pod before it starts the new one; so does a Deployment with strategy Recreate.
      name: 'passes: a Deployment with strategy Recreate; disjoint hashmod shards on one bucket; two buckets one compactor each',
      yaml: yamlOf(
        bucketSecret('thanos-objstore', 'metrics'),
        bucketSecret('archive', 'archive'),
        workload({
          name: 'recreate',
          namespace: 'r',
          spec: { strategy: { type: 'Recreate' } },
          containers: [goodContainer({ args: ['compact', '--wait', '--objstore.config=type: S3\nconfig: {bucket: r, endpoint: e}'] })],
        }),
        compactor('shard-0', {}, [hashmod(2, '0')]),
        compactor('shard-1', {}, [hashmod(2, '1')]),
        onSecret('archive', 'archive'),
      ),
      expect: {},
    },
    {
      name: 'fails: a DaemonSet (one compactor per node); two compact containers in one pod',
      yaml: yamlOf(
        workload({
          kind: 'DaemonSet',
          name: 'per-node',
          namespace: 'd',
          containers: [goodContainer({ args: ['compact', '--wait', '--objstore.config=type: S3\nconfig: {bucket: d, endpoint: e}'] })],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'twins',
          namespace: 't',
          containers: [
            goodContainer({ name: 'a', args: ['compact', '--objstore.config=type: S3\nconfig: {bucket: t, endpoint: e}'] }),
            goodContainer({ name: 'b', args: ['compact', '--objstore.config=type: S3\nconfig: {bucket: u, endpoint: e}'] }),
          ],
        }),
      ),
      expect: {
        'DaemonSet/per-node': [/^error: runs thanos compact as a DaemonSet: one compactor per node$/],
        'StatefulSet/twins': [
          /^error: runs thanos compact in 2 containers of one pod$/,
          /^error: runs thanos compact in 2 containers of one pod$/,
        ],
      },
    },
    {
      name: 'fails: two Secrets naming one bucket, neither compactor sharded (the bucket is named)',
      yaml: yamlOf(
        bucketSecret('thanos-objstore', 'metrics'),
        bucketSecret('copy', 'metrics'),
        compactor('first'),
        onSecret('second', 'copy'),
      ),
      expect: {
        'StatefulSet/first': [
          /^error: compacts the same blocks \(GCS metrics\) as StatefulSet monitoring\/second, and neither is sharded$/,
        ],
        'StatefulSet/second': [
          /^error: compacts the same blocks \(GCS metrics\) as StatefulSet monitoring\/first, and neither is sharded$/,
        ],
      },
    },
    {
      // Two compactors on one block produce overlapping blocks; without vertical compaction the next run halts on them
      // ("pre compaction overlap check", T@v0.42.4:pkg/compact/compact.go:1171-1177).
      name: 'fails: hashmod shards that share residues, named with the residues they share',
      yaml: yamlOf(
        bucketSecret('thanos-objstore', 'metrics'),
        compactor('a', {}, [hashmod(3, '0|1')]),
        compactor('b', {}, [hashmod(3, '0|1|2')]),
      ),
      expect: {
        'StatefulSet/a': [/as StatefulSet monitoring\/b, and both keep residues 0, 1 of hashmod cluster mod 3$/],
        'StatefulSet/b': [/as StatefulSet monitoring\/a, and both keep residues 0, 1 of hashmod cluster mod 3$/],
      },
    },
    {
      // Residues of different moduli are not comparable: the producers in the input decide (eu-1 is 0 mod 2 and 0 mod 3, as Prometheus hashes).
      name: 'fails: hashmod shards with one residue in common (singular); shards of different moduli that both keep a producer',
      yaml: yamlOf(
        bucketSecret('thanos-objstore', 'metrics'),
        compactor('a', {}, [hashmod(2, '0|1')]),
        compactor('b', {}, [hashmod(2, '1')]),
        bucketSecret('other', 'other'),
        onSecret('by-2', 'other', [hashmod(2, '0')]),
        onSecret('by-3', 'other', [hashmod(3, '0')]),
        workload({
          kind: 'StatefulSet',
          name: 'rule',
          containers: [
            goodContainer({
              args: ['rule', '--label=cluster="eu-1"', '--objstore.config-file=/etc/thanos/objstore.yml'],
              volumeMounts: mount,
            }),
          ],
          volumes: [{ name: 'objstore', secret: { secretName: 'other' } }],
        }),
      ),
      expect: {
        'StatefulSet/a': [/and both keep residue 1 of hashmod cluster mod 2$/],
        'StatefulSet/b': [/and both keep residue 1 of hashmod cluster mod 2$/],
        'StatefulSet/by-2': [
          /^error: compacts the same blocks \(GCS other\) as StatefulSet monitoring\/by-3, and both keep the blocks of \{cluster="eu-1"\}$/,
        ],
        'StatefulSet/by-3': [/as StatefulSet monitoring\/by-2, and both keep the blocks of \{cluster="eu-1"\}$/],
      },
    },
    {
      name: 'fails: cluster lists that both keep a producer of the input, named by its labels; passes: lists that keep different producers',
      yaml: yamlOf(
        bucketSecret('thanos-objstore', 'metrics'),
        compactor('eu', {}, [keepCluster('eu-.*')]),
        compactor('eu-1', {}, [keepCluster('eu-1|us-1')]),
        ruler('eu-1'),
        bucketSecret('other', 'other'),
        onSecret('o-eu', 'other', [keepCluster('eu-.*')]),
        onSecret('o-us', 'other', [keepCluster('us-.*')]),
      ),
      expect: {
        'StatefulSet/eu': [
          /^error: compacts the same blocks \(GCS metrics\) as StatefulSet monitoring\/eu-1, and both keep the blocks of \{cluster="eu-1"\}$/,
        ],
        'StatefulSet/eu-1': [/as StatefulSet monitoring\/eu, and both keep the blocks of \{cluster="eu-1"\}$/],
      },
    },
    {
      name: 'fails: with no producer in sight, two compactors with the same selector text; passes: different texts',
      yaml: yamlOf(
        bucketSecret('thanos-objstore', 'metrics'),
        compactor('a', {}, [keepCluster('eu-.*')]),
        compactor('b', {}, [keepCluster('eu-.*')]),
        compactor('c', {}, [keepCluster('us-.*')]),
      ),
      expect: {
        'StatefulSet/a': [/as StatefulSet monitoring\/b, and both use the same shard selector$/],
        'StatefulSet/b': [/as StatefulSet monitoring\/a, and both use the same shard selector$/],
      },
    },
  ]);
  const rendered = (name: string, yaml: string) => {
    const parsed = parseStream(yaml, { file: name, overlay: name });
    return { name, index: checkObjects(parsed.objects, []).index };
  };
  const fleetNamespace = (role: string) =>
    yamlOf({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'monitoring', labels: { 'thanos-ha.dev/fleet': 'hub', 'thanos-ha.dev/fleet-role': role } },
    });
  it('across overlays: an agent beside an overlay outside its fleet is named with that overlay; disjoint shards in two overlays pass', () => {
    const agent = rendered(
      'edge',
      `${fleetNamespace('agent')}---\n${yamlOf(compactor('thanos-compact'), bucketSecret('thanos-objstore', 'fleet'))}`,
    );
    const other = rendered('lab', yamlOf(compactor('lab-compact'), bucketSecret('thanos-objstore', 'fleet')));
    expect(compactSingleton.checkAcrossSets!([agent, other]).map((d) => `${d.set}: ${d.message}`)).toEqual([
      'edge: agent edge runs a compactor on GCS fleet, the bucket its observer hub compacts (as does overlay lab, StatefulSet monitoring/lab-compact): an agent never compacts, and two compactors on one bucket produce overlapping blocks and halt',
      'lab: overlay lab and overlay edge both run a compactor on GCS fleet (StatefulSet monitoring/thanos-compact there); if both are deployed they compact the same blocks',
    ]);
    const shard = (name: string, keep: string) =>
      rendered(name, yamlOf(compactor('thanos-compact', {}, [hashmod(2, keep)]), bucketSecret('thanos-objstore', 'metrics')));
    expect(compactSingleton.checkAcrossSets!([shard('shard-0', '0'), shard('shard-1', '1')])).toEqual([]);
  });
});
