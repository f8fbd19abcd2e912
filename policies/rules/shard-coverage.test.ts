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
  {
    // Thanos relabels each block's external labels with __block_id (T@v0.42.4 pkg/block/fetcher.go:803-821): the
    // archive Store keeps cluster="archive", the shards drop it before their hashmod: no block is kept twice.
    name: 'passes: a Store keeping one cluster beside hashmod shards that drop that cluster (T@v0.42.4 pkg/block/fetcher.go:803-821)',
    yaml: yamlOf(
      secret(),
      store('archive', '--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: archive'),
      store(
        'rest-0',
        `--selector.relabel-config=- action: drop\n  source_labels: [cluster]\n  regex: archive\n${selector('__block_id', 2, '0').slice('--selector.relabel-config='.length)}`,
      ),
      store(
        'rest-1',
        `--selector.relabel-config=- action: drop\n  source_labels: [cluster]\n  regex: archive\n${selector('__block_id', 2, '1').slice('--selector.relabel-config='.length)}`,
      ),
      compact('compact'),
      ruler('rule-archive', 'archive'),
      ruler('rule-a', even),
    ),
    expect: {},
  },
  {
    name: 'warns: a Store with a keep selector (no hashmod) beside shards that keep every block, and beside shards that keep the cluster it keeps: those blocks load twice (T@v0.42.4 pkg/block/fetcher.go:803-821)',
    yaml: yamlOf(
      secret(),
      store('eu-only', `--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: ${even}`),
      store('s-0', selector('__block_id', 2, '0')),
      store('s-1', selector('__block_id', 2, '1')),
      store('archive-and-a', '--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: archive|a', '--max-time=-2w'),
      store(
        'rest-0',
        `--selector.relabel-config=- action: drop\n  source_labels: [cluster]\n  regex: archive\n${selector('__block_id', 2, '0').slice('--selector.relabel-config='.length)}`,
        '--max-time=-2w',
      ),
      store(
        'rest-1',
        `--selector.relabel-config=- action: drop\n  source_labels: [cluster]\n  regex: archive\n${selector('__block_id', 2, '1').slice('--selector.relabel-config='.length)}`,
        '--max-time=-2w',
      ),
      compact('compact'),
      ruler('rule-archive', 'archive'),
      ruler('rule-a', 'a'),
    ),
    expect: {
      'StatefulSet/eu-only': [
        /^warning: keeps blocks of GCS metrics with a selector that is no hashmod shard, beside the Store shards s-0, s-1 that together keep every block of the same bucket and time range: each block it keeps is loaded twice; keep these blocks out of the shards/,
      ],
      'StatefulSet/archive-and-a': [
        /^warning: keeps the blocks \{cluster="a", rule_replica="rule-a-0"\} of GCS metrics with a selector that is no hashmod shard, and the Store shards rest-0, rest-1 of the same time range keep them too: those blocks are loaded twice/,
      ],
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

describe('shard-coverage (mutation)', () => {
  const keepCluster = (regex: string) => `--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: ${regex}`;
  policyTable(shardCoverage, [
    {
      // --min-time/--max-time take RFC 3339 or a duration (T@v0.42.4:pkg/model/timeduration.go:23-45, cmd/thanos/store.go:177-181)
      name: 'passes: RFC 3339 partitions that meet; a partition inside an older one (overlap) does not hide that the newest meets the oldest',
      yaml: yamlOf(
        secret(),
        store('until-2026', '--max-time=2026-01-01T00:00:00Z'),
        store('since-2026', '--min-time=2026-01-01T00:00:00Z', '--max-time=-1w'),
        store('last-week', '--min-time=-1w'),
        store('hot-copy', '--min-time=-4w', '--max-time=-2w'),
      ),
      expect: {
        'StatefulSet/hot-copy': [
          /^warning: Store time partitions overlap: hot-copy \(from -4w\) and since-2026 \(until -1w\) both serve the blocks in between$/,
        ],
      },
    },
    {
      name: 'fails: a --min-time that is neither a time nor a duration; a --min-time after its --max-time (swapped)',
      yaml: yamlOf(
        secret(),
        store('typo', '--min-time=last-tuesday', '--max-time=-2w'),
        store('swapped', '--min-time=-1w', '--max-time=-2w'),
      ),
      expect: {
        'StatefulSet/typo': [
          /^error: container app: --min-time=last-tuesday \/ --max-time=-2w is not an RFC 3339 time or a duration such as -2w$/,
        ],
        'StatefulSet/swapped': [
          /^error: container app: thanos store exits at start: --min-time=-1w is after --max-time=-2w \("can't be greater than --max-time"\); swap them$/,
        ],
      },
    },
    {
      // T@v0.42.4 cmd/thanos/store.go:244-247: min after max stops the process; equal starts and serves nothing.
      name: 'fails: a --min-time equal to its --max-time serves no block (T@v0.42.4 cmd/thanos/store.go:244-247 lets it start)',
      yaml: yamlOf(secret(), store('empty', '--min-time=2026-01-01T00:00:00Z', '--max-time=2026-01-01T00:00:00Z')),
      expect: {
        'StatefulSet/empty': [
          /^error: container app: --min-time=2026-01-01T00:00:00Z equals --max-time=2026-01-01T00:00:00Z; it serves no block$/,
        ],
      },
    },
    {
      name: 'fails: an RFC 3339 gap between two partitions, named on the newer one',
      yaml: yamlOf(secret(), store('old', '--max-time=2025-01-01T00:00:00Z'), store('new', '--min-time=2025-06-01T00:00:00Z')),
      expect: {
        'StatefulSet/new': [
          /^error: Store time partitions leave a gap between 2025-01-01T00:00:00Z \(--max-time of old\) and 2025-06-01T00:00:00Z \(--min-time of new\): blocks in between are served by no Store Gateway$/,
        ],
      },
    },
    {
      name: 'passes: an unsharded Store of another time range or another bucket beside hashmod shards',
      yaml: yamlOf(
        secret(),
        { ...secret('archive'), metadata: { name: 'archive', namespace: 'monitoring' } },
        store('old', '--max-time=-2w'),
        store('new-0', selector('__block_id', 2, '0'), '--min-time=-2w'),
        store('new-1', selector('__block_id', 2, '1'), '--min-time=-2w'),
        workload({
          kind: 'StatefulSet',
          name: 'archive',
          containers: [
            goodContainer({ args: ['store', '--objstore.config-file=/etc/thanos/objstore.yml'], volumeMounts: mounts, env: POD_ENV }),
          ],
          volumes: [{ name: 'objstore', secret: { secretName: 'archive' } }],
        }),
      ),
      expect: {},
    },
    {
      name: 'fails: Store shards keeping only residue 0 of 3 name both missing residues',
      yaml: yamlOf(secret(), store('s-0', selector('__block_id', 3, '0'))),
      expect: {
        'StatefulSet/s-0': [
          /^error: Store shards s-0 \(hashmod of __block_id mod 3\) keep no shard for residues 1, 2: those blocks are served by no Store Gateway$/,
        ],
      },
    },
    {
      name: 'fails: Store shards hashing different labels with one modulus (each named with its hashmod)',
      yaml: yamlOf(secret(), store('by-block', selector('__block_id', 2, '0')), store('by-cluster', selector('cluster', 2, '1'))),
      expect: {
        'StatefulSet/by-block': [
          /^error: Store shards by-block, by-cluster hash different labels or use different moduli \(by-block: hashmod of __block_id mod 2; by-cluster: hashmod of cluster mod 2\); their residues cannot partition the blocks$/,
        ],
      },
    },
    {
      // A compactor drops every block whose external labels (and __block_id) its selector keeps nothing of
      // (T@v0.42.4:pkg/block/fetcher.go:800-818): a residue no shard keeps is never compacted.
      name: 'fails: Compact shards missing a residue or with different moduli; a residue kept twice is left to compact-singleton',
      yaml: yamlOf(
        secret(),
        { ...secret('other'), metadata: { name: 'other', namespace: 'monitoring' } },
        compact('c-0', selector('cluster', 3, '0|1')),
        compact('c-1', selector('cluster', 3, '1')),
        workload({
          kind: 'StatefulSet',
          name: 'o-0',
          containers: [
            goodContainer({
              args: ['compact', '--wait', '--objstore.config-file=/etc/thanos/objstore.yml', selector('cluster', 2, '0')],
              volumeMounts: mounts,
              env: POD_ENV,
            }),
          ],
          volumes: [{ name: 'objstore', secret: { secretName: 'other' } }],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'o-1',
          containers: [
            goodContainer({
              args: ['compact', '--wait', '--objstore.config-file=/etc/thanos/objstore.yml', selector('cluster', 3, '1')],
              volumeMounts: mounts,
              env: POD_ENV,
            }),
          ],
          volumes: [{ name: 'objstore', secret: { secretName: 'other' } }],
        }),
      ),
      expect: {
        'StatefulSet/c-0': [
          /^error: Compact shards c-0, c-1 \(hashmod of cluster mod 3\) keep no shard for residue 2: those blocks are never compacted$/,
        ],
        'StatefulSet/o-0': [/^error: Compact shards o-0, o-1 hash different labels or use different moduli/],
      },
    },
    {
      // A Ruler that evaluates other clusters' data means the set does not show every producer of the bucket.
      name: 'passes: a compactor shard that keeps no producer in a set whose Ruler serves the fleet; fails: the fleet Ruler no shard keeps',
      yaml: yamlOf(
        secret(),
        compact('compact-0', keepCluster(even)),
        compact('compact-1', keepCluster('nowhere')),
        workload({
          kind: 'StatefulSet',
          name: 'fleet-rule',
          annotations: { 'thanos-ha.dev/data-scope': 'fleet' },
          containers: [
            goodContainer({
              args: ['rule', '--objstore.config-file=/etc/thanos/objstore.yml', '--label=rule_replica="$(POD_NAME)"'],
              volumeMounts: mounts,
              env: POD_ENV,
            }),
          ],
          ...objstore,
        }),
        ruler('rule', even),
      ),
      expect: {
        'StatefulSet/fleet-rule': [
          /^error: Ruler fleet-rule's blocks \{rule_replica="fleet-rule-0"\} on GCS metrics are kept by none of the compactors/,
        ],
      },
    },
    {
      name: 'fails: an unreadable compactor selector is reported; a producer without any compactor on its bucket is not judged',
      yaml: yamlOf(
        secret(),
        compact('broken', '--selector.relabel-config=- action: hashmod\n  source_labels: [cluster]'),
        ruler('rule', even),
      ),
      expect: {
        'StatefulSet/broken': [/^error: container app: --selector.relabel-config step 1 \(hashmod\) .*; shard coverage was not checked$/],
      },
    },
  ]);
  const set = (name: string, ...objects: unknown[]) => ({
    name,
    index: checkObjects(parseStream(yamlOf(...objects), { file: name, overlay: name }).objects, []).index,
  });
  const keepOnly = (regex: string) => `--selector.relabel-config=- action: keep\n  source_labels: [cluster]\n  regex: ${regex}`;
  it('across overlays: an empty shard is judged only when two overlays produce; buckets hidden in an unrendered Secret are not compared', () => {
    const observer = set('observer', secret(), compact('compact-0', keepOnly(even)), compact('compact-1', keepOnly('nowhere')));
    // The leaf's objstore Secret is not rendered with it (an ExternalSecret): its bucket cannot be compared.
    const hidden = set('hidden', ruler('rule', odd));
    expect(shardCoverage.checkAcrossSets!([observer, hidden, set('leaf-a', secret(), ruler('rule', even))])).toEqual([]);
  });
  it("across overlays: a producer beside its own bucket's compactor was judged with its set, not again", () => {
    const observer = set('observer', secret(), compact('compact-0', keepOnly(even)), ruler('own-rule', odd));
    expect(shardCoverage.checkAcrossSets!([observer, set('leaf-a', secret(), ruler('rule', even))])).toEqual([]);
  });
});
