import { describe, expect, it } from 'vitest';
import { checkObjects } from '../engine/run.js';
import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { hashmod } from '../lib/relabel.js';
import { parseStream } from '../engine/parse.js';
import { policyTable } from '../testing/rule-cases.js';
import { shardCoverage } from './shard-coverage.js';

const secret = (bucket = 'metrics') => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'thanos-objstore', namespace: 'monitoring' },
  stringData: { 'objstore.yml': `type: GCS\nconfig:\n  bucket: ${bucket}\n` },
});
const objstore = { volumes: [{ name: 'objstore', secret: { secretName: 'thanos-objstore' } }] };
const mounts = [{ name: 'objstore', mountPath: '/etc/thanos' }];
const selector = (label: string, modulus: number, keep: string) =>
  `--selector.relabel-config=- action: hashmod\n  source_labels: [${label}]\n  target_label: shard\n  modulus: ${modulus}\n- action: keep\n  source_labels: [shard]\n  regex: "${keep}"`;
const thanos = (sub: string, name: string, args: string[], kind: 'StatefulSet' | 'Deployment' = 'StatefulSet') =>
  workload({
    kind,
    name,
    containers: [
      goodContainer({ args: [sub, '--objstore.config-file=/etc/thanos/objstore.yml', ...args], volumeMounts: mounts, env: POD_ENV }),
    ],
    ...objstore,
  });
const store = (name: string, ...args: string[]) => thanos('store', name, args);
const compact = (name: string, ...args: string[]) => thanos('compact', name, ['--wait', ...args]);
const ruler = (name: string, cluster: string) =>
  thanos('rule', name, [`--label=cluster="${cluster}"`, '--label=rule_replica="$(POD_NAME)"']);

// Two cluster names that fall on different residues mod 2, computed as Prometheus does.
const clusters = ['eu-1', 'us-1', 'eu-2', 'us-2'];
const [even, odd] = [clusters.find((c) => hashmod(c, 2) === 0)!, clusters.find((c) => hashmod(c, 2) === 1)!];

policyTable(shardCoverage, [
  {
    name: 'passes: 3 hashmod Store shards; time partitions that meet; 2 Compact shards over cluster, each keeping a producer',
    yaml: yamlOf(
      secret(),
      store('store-0', selector('__block_id', 3, '0')),
      store('store-1', selector('__block_id', 3, '1')),
      store('store-2', selector('__block_id', 3, '2')),
      store('store-old', '--max-time=-2w'),
      store('store-new', '--min-time=-2w'),
      compact('compact-0', selector('cluster', 2, '0')),
      compact('compact-1', selector('cluster', 2, '1')),
      ruler('rule-a', even),
      ruler('rule-b', odd),
    ),
    expect: {},
  },
  {
    name: 'fails: a missing residue, a duplicated residue, different moduli; a time gap; a compactor on __block_id; a producer no shard keeps; an empty shard',
    yaml: yamlOf(
      secret(),
      store('a-0', selector('__block_id', 3, '0|1'), '--min-time=-8w', '--max-time=-4w'),
      store('a-1', selector('__block_id', 3, '1'), '--min-time=-8w', '--max-time=-4w'),
      store('b-0', selector('__block_id', 2, '0'), '--min-time=-2w'),
      store('b-1', selector('__block_id', 4, '1'), '--min-time=-2w'),
      compact('list-a', `--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: ${even}`),
      compact('list-z', '--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: nowhere'),
      ruler('rule-b', odd),
      ruler('rule-a', even),
    ),
    expect: {
      'StatefulSet/a-0': [
        'keep no shard for residue 2: those blocks are served by no Store Gateway',
        'Store shards a-0 and a-1 both keep residue 1 of hashmod __block_id mod 3',
      ],
      'StatefulSet/b-0': [
        /Store shards b-0, b-1 hash different labels or use different moduli/,
        /gap between -4w \(--max-time of a-0, a-1\) and -2w \(--min-time of b-0, b-1\)/,
      ],
      'StatefulSet/rule-b': [
        new RegExp(
          `Ruler rule-b's blocks \\{cluster="${odd}", rule_replica="rule-b-0"\\} on GCS metrics are kept by none of the compactors`,
        ),
      ],
      'StatefulSet/list-z': [/warning: compactor shard list-z keeps none of the 2 producer label sets/],
    },
  },
  {
    name: 'fails: compactors sharded on __block_id',
    yaml: yamlOf(secret(), compact('by-block-0', selector('__block_id', 2, '0')), compact('by-block-1', selector('__block_id', 2, '1'))),
    expect: {
      'StatefulSet/by-block-0': [/shards compaction on __block_id/],
      'StatefulSet/by-block-1': [/shards compaction on __block_id/],
    },
  },
  {
    name: 'warns: an unsharded Store beside shards; overlapping time partitions; fails on an unreadable selector',
    yaml: yamlOf(
      secret(),
      store('all'),
      store('s-0', selector('__block_id', 2, '0')),
      store('s-1', selector('__block_id', 2, '1')),
      store('t-old', '--max-time=-1w', '--selector.relabel-config=[not: yaml'),
      store('t-new', '--min-time=-2w'),
    ),
    expect: {
      'StatefulSet/all': [/warning: serves every block of GCS metrics unsharded, beside the Store shards s-0, s-1/],
      'StatefulSet/t-old': [/--selector.relabel-config is not YAML; shard coverage was not checked/],
      'StatefulSet/t-new': [/warning: Store time partitions overlap: t-new \(from -2w\) and t-old \(until -1w\)/],
    },
  },
]);

describe('shard-coverage across overlays', () => {
  const set = (name: string, ...objects: unknown[]) => ({
    name,
    index: checkObjects(parseStream(yamlOf(secret(), ...objects), { file: name, overlay: name }).objects, []).index,
  });
  it('a leaf whose blocks no compactor of the observer keeps is reported in the leaf; an observer shard that keeps no leaf is a warning', () => {
    const observer = set(
      'observer',
      compact('compact-0', `--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: ${even}`),
      compact('compact-1', '--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: nowhere'),
    );
    const found = shardCoverage.checkAcrossSets!([observer, set('leaf-a', ruler('rule', even)), set('leaf-b', ruler('rule', odd))]);
    expect(found.map((d) => `${d.set} ${d.severity ?? 'error'}: ${d.message}`)).toEqual([
      `leaf-b error: overlay leaf-b: Ruler rule's blocks {cluster="${odd}", rule_replica="rule-0"} on GCS metrics are kept by none of the compactors StatefulSet monitoring/compact-0, StatefulSet monitoring/compact-1: they are never compacted, downsampled or deleted by retention (in overlay observer)`,
      `observer warning: compactor shard compact-1 keeps none of the 2 producer label sets writing to GCS metrics ({cluster="${even}", rule_replica="rule-0"}, {cluster="${odd}", rule_replica="rule-0"}): it runs for nothing; change its selector or the shard count`,
    ]);
  });
});
