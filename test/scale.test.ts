import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildStack } from '../generator/build-stack.js';
import { DEFAULT_STACK, mergeStack, type StackConfig, type StackOverrides } from '../generator/model/stack.js';
import { relabel } from '../policies/lib/relabel.js';
import { shardsOf } from '../policies/lib/shards.js';
import { hashringEndpoints } from '../generator/components/receive.js';
import { validateStack } from '../generator/model/validate-stack.js';
import { checkObjects } from '../policies/engine/run.js';
import { parseStream } from '../policies/engine/parse.js';
import { policies } from '../policies/registry.js';
import { cli } from './check/helpers.js';

/**
 * The scale options of the stack config (docs/scale.md) together: what they generate passes every
 * rule, and each broken variant of the same output fails with a message naming the shards.
 */
const SCALED: StackOverrides = {
  cache: { backend: 'memcached' },
  store: {
    shards: 3,
    timePartitions: [
      { name: 'old', minTime: '', maxTime: '-2w' },
      { name: 'new', minTime: '-2w', maxTime: '' },
    ],
  },
  compact: { shards: 2, deduplication: true },
  receive: {
    routers: 2,
    retentionSizePercent: 80,
    writers: ['edge agents'],
    hashrings: [
      { name: 'team-a', tenants: ['a'] },
      { name: 'default', tenants: [] },
    ],
  },
  prometheus: { retentionSizePercent: 80 },
  placement: { zoneSpread: true, priorityClassName: 'thanos-ha' },
};

function render(overrides: StackOverrides | StackConfig): string {
  const objects = buildStack('namespace' in overrides ? (overrides as StackConfig) : mergeStack(DEFAULT_STACK, overrides)).flatMap(
    (b) => b.objects,
  );
  // kustomize would set the namespace; the rules compare namespaces, so give every object one.
  return objects
    .map((o) => stringify({ ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? 'monitoring' } }, { lineWidth: 0 }))
    .join('---\n');
}

function errors(text: string): string[] {
  const parsed = parseStream(text, { file: 'scaled.yaml' });
  return checkObjects(parsed.objects, policies, { profile: 'prod' })
    .findings.filter((f) => f.severity === 'error')
    .map((f) => `${f.rule} ${f.kind}/${f.name}: ${f.message}`);
}

/** Edits one document (by kind and name) of a rendered stream. */
function edit(text: string, kind: string, name: string, change: (doc: Record<string, any>) => Record<string, any> | undefined): string {
  return text
    .split('---\n')
    .flatMap((doc) => {
      const o = parse(doc) as Record<string, any>;
      if (o.kind !== kind || o.metadata.name !== name) return [doc];
      const changed = change(o);
      return changed ? [stringify(changed, { lineWidth: 0 })] : [];
    })
    .join('---\n');
}

const args = (o: Record<string, any>): string[] => o.spec.template.spec.containers[0].args;

describe('the scale options together', () => {
  const text = render(SCALED);

  it('generate 3 Store shards per time partition, 2 Compact shards, routers, an ingestor per hashring and memcached', () => {
    const names = text
      .split('---\n')
      .map((d) => parse(d) as Record<string, any>)
      .filter((o) => ['StatefulSet', 'Deployment'].includes(o.kind))
      .map((o) => o.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'thanos-store-old-0',
        'thanos-store-old-2',
        'thanos-store-new-1',
        'thanos-compact-0',
        'thanos-compact-1',
        'thanos-receive-router',
        'thanos-receive-ingestor-team-a',
        'thanos-receive-ingestor-default',
        'memcached',
      ]),
    );
    expect(names).not.toContain('thanos-store');
    // The hashring is derived from the ingestors' names and never lists the router.
    expect(hashringEndpoints(mergeStack(DEFAULT_STACK, SCALED), 'obs')).toEqual([
      ...[0, 1, 2].map((i) => `thanos-receive-ingestor-team-a-${i}.thanos-receive.obs.svc.cluster.local:10901`),
      ...[0, 1, 2].map((i) => `thanos-receive-ingestor-default-${i}.thanos-receive.obs.svc.cluster.local:10901`),
    ]);
  });

  it('pass every rule', () => {
    expect(errors(text)).toEqual([]);
  });

  // GIVEN the same output with one mistake each, THEN check fails naming what is wrong.
  it('a missing Store shard fails, naming the shards', () => {
    expect(errors(edit(text, 'StatefulSet', 'thanos-store-new-2', () => undefined))).toEqual([
      'shard-coverage StatefulSet/thanos-store-new-0: Store shards thanos-store-new-0, thanos-store-new-1 (hashmod of __block_id mod 3) keep no shard for residue 2: those blocks are served by no Store Gateway',
    ]);
  });

  it('a duplicated residue fails', () => {
    const twice = edit(text, 'StatefulSet', 'thanos-store-old-2', (o) => {
      const a = args(o);
      a[a.findIndex((x) => x.startsWith('--selector.relabel-config'))] = a
        .find((x) => x.startsWith('--selector.relabel-config'))!
        .replace('regex: "2"', 'regex: "1"');
      return o;
    });
    expect(errors(twice)).toEqual([
      'shard-coverage StatefulSet/thanos-store-old-0: Store shards thanos-store-old-0, thanos-store-old-1, thanos-store-old-2 (hashmod of __block_id mod 3) keep no shard for residue 2: those blocks are served by no Store Gateway',
      'shard-coverage StatefulSet/thanos-store-old-0: Store shards thanos-store-old-1 and thanos-store-old-2 both keep residue 1 of hashmod __block_id mod 3: those blocks are loaded twice',
    ]);
  });

  it('a time gap fails', () => {
    let gap = text;
    for (const i of [0, 1, 2])
      gap = edit(gap, 'StatefulSet', `thanos-store-old-${i}`, (o) => ({
        ...o,
        spec: {
          ...o.spec,
          template: {
            ...o.spec.template,
            spec: {
              ...o.spec.template.spec,
              containers: [
                { ...o.spec.template.spec.containers[0], args: args(o).map((a) => a.replace('--max-time=-2w', '--max-time=-3w')) },
              ],
            },
          },
        },
      }));
    expect(errors(gap)).toEqual([
      'shard-coverage StatefulSet/thanos-store-new-0: Store time partitions leave a gap between -3w (--max-time of thanos-store-old-0, thanos-store-old-1, thanos-store-old-2) and -2w (--min-time of thanos-store-new-0, thanos-store-new-1, thanos-store-new-2): blocks in between are served by no Store Gateway',
    ]);
  });

  it('a router listed in its own hashring fails', () => {
    const looped = edit(text, 'ConfigMap', 'thanos-receive-hashring', (o) => {
      const rings = JSON.parse(o.data['hashrings.json']);
      rings[1].endpoints.push('thanos-receive-router-0.thanos-receive-router.monitoring.svc.cluster.local:10901');
      return { ...o, data: { 'hashrings.json': JSON.stringify(rings) } };
    });
    expect(errors(looped)).toEqual([
      'receive-topology Deployment/thanos-receive-router: container thanos-receive: hashring default lists thanos-receive-router-0.thanos-receive-router.monitoring.svc.cluster.local:10901, a pod of router thanos-receive-router: a router stores nothing and forwards again, so those writes loop or are lost; list only ingestor pods',
    ]);
  });

  it('a cache address to nothing fails', () => {
    const nowhere = edit(text, 'Service', 'memcached', (o) => ({ ...o, metadata: { ...o.metadata, name: 'memcached-old' } }));
    const found = errors(nowhere);
    expect(found.filter((f) => f.startsWith('cache-wiring'))).toHaveLength(3 * 2 * 2 + 2);
    expect(found).toContainEqual(
      expect.stringMatching(
        /^cache-wiring StatefulSet\/thanos-store-old-0: container thanos-store --index-cache.config address dnssrvnoa\+_client._tcp.memcached.monitoring.svc.cluster.local: names Service memcached in namespace monitoring, which is not in the input$/,
      ),
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /^cache-wiring Deployment\/thanos-query-frontend: container thanos-query-frontend --query-range.response-cache-config address .*: names Service memcached/,
      ),
    );
  });

  it('an in-memory cache larger than half the memory limit fails', () => {
    const inMemory = render({ store: { shards: 2 } });
    const big = edit(inMemory, 'StatefulSet', 'thanos-store-1', (o) => {
      const a = args(o);
      a[a.findIndex((x) => x.startsWith('--index-cache.config'))] = '--index-cache.config=type: IN-MEMORY\nconfig:\n  max_size: 3GiB\n';
      return o;
    });
    expect(errors(big)).toEqual([
      'cache-wiring StatefulSet/thanos-store-1: container thanos-store: its in-memory caches (--index-cache.config max_size 3GiB) can hold 3072MiB, more than half its memory limit 4096MiB; when they fill, the pod is OOM-killed',
    ]);
  });

  it('a small Store gets an index cache whose item size fits it (the 125MiB default would stop it)', () => {
    // A 256Mi limit makes max_size 64MiB; without max_item_size the default 125MiB exceeds it and thanos store exits at
    // start (T@v0.42.4 pkg/store/cache/inmemory.go:28-31, 93-95), which cache-wiring reports.
    const small = render({ store: { resources: { ...DEFAULT_STACK.store.resources, memoryLimit: '256Mi' } } });
    expect(small).toMatch(/max_item_size: 32MiB\s+max_size: 64MiB/);
    expect(errors(small).filter((f) => f.startsWith('cache-wiring'))).toEqual([]);
  });

  describe('check --file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scale-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    it('exits 1 on a missing residue and 0 on the generated shards', async () => {
      writeFileSync(join(dir, 'good.yaml'), text);
      writeFileSync(
        join(dir, 'bad.yaml'),
        edit(text, 'StatefulSet', 'thanos-compact-1', () => undefined),
      );
      const good = await cli(['check', '--file', join(dir, 'good.yaml'), '--profile', 'prod', '--format', 'json']);
      expect(good.code, good.stdout).toBe(0);
      const bad = await cli(['check', '--file', join(dir, 'bad.yaml'), '--profile', 'prod']);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain(
        'Compact shards thanos-compact-0 (hashmod of cluster mod 2) keep no shard for residue 1: those blocks are never compacted',
      );
    });
  });
});

describe('an external cache', () => {
  it('is reported as declared and not checked, on every client, and nothing fails', () => {
    const text = render({ cache: { backend: 'external', externalAddresses: ['memcached.shared-cache.svc:11211'] }, store: { shards: 2 } });
    const parsed = parseStream(text, { file: 'external.yaml' });
    const found = checkObjects(parsed.objects, policies).findings.filter((f) => f.rule === 'cache-wiring');
    expect(found.map((f) => `${f.severity} ${f.kind}/${f.name}`)).toEqual([
      'warning Deployment/thanos-query-frontend',
      'warning Deployment/thanos-query-frontend',
      'warning StatefulSet/thanos-store-0',
      'warning StatefulSet/thanos-store-0',
      'warning StatefulSet/thanos-store-1',
      'warning StatefulSet/thanos-store-1',
    ]);
    expect(found[0].message).toMatch(/address memcached.shared-cache.svc:11211: an external cache declared for this overlay; not checked/);
  });
});

describe("compact shards by known values (a fleet observer's clusters)", () => {
  it('keep each listed cluster on exactly one shard, and everything else on the last', () => {
    const stack = mergeStack(DEFAULT_STACK, { compact: { shards: 2, shardValues: ['prod-global', 'prod-eu-1', 'prod-us-1'] } });
    const index = checkObjects(parseStream(render(stack), { file: 'values.yaml' }).objects, []).index;
    const compactors = shardsOf(index).compactors;
    expect(compactors.map((c) => c.workload.name)).toEqual(['thanos-compact-0', 'thanos-compact-1']);
    const keptBy = (cluster: string) => compactors.filter((c) => relabel(c.steps!, { cluster }) !== undefined).map((c) => c.workload.name);
    expect(keptBy('prod-global')).toEqual(['thanos-compact-0']);
    expect(keptBy('prod-eu-1')).toEqual(['thanos-compact-1']);
    expect(keptBy('prod-us-1')).toEqual(['thanos-compact-0']);
    expect(keptBy('added-later')).toEqual(['thanos-compact-1']);
    expect(compactors.filter((c) => relabel(c.steps!, { receive_replica: 'r-0' }) !== undefined).map((c) => c.workload.name)).toEqual([
      'thanos-compact-1',
    ]);
  });
});

describe('scale options refused before anything is written', () => {
  it.each([
    [
      {
        store: {
          timePartitions: [
            { name: 'old', minTime: '', maxTime: '-3w' },
            { name: 'new', minTime: '-2w', maxTime: '' },
          ],
        },
      },
      /store.timePartitions\[0\].maxTime.*must equal the next partition's minTime/,
    ],
    [{ compact: { shards: 2, shardLabel: '__block_id' } }, /compact.shardLabel.*__block_id would split one producer's blocks/],
    [
      {
        receive: {
          routers: 1,
          hashrings: [
            { name: 'all', tenants: [] },
            { name: 'a', tenants: ['a'] },
          ],
        },
      },
      /receive.hashrings\[0\].tenants.*must come last/,
    ],
    [{ receive: { hashrings: [{ name: 'a', tenants: [] }] } }, /per-tenant hashrings need routers/],
    [{ cache: { backend: 'external' } }, /cache.externalAddresses.*is empty while cache.backend is external/],
    [{ prometheus: { retentionSizePercent: 100 } }, /prometheus.retentionSizePercent.*1 to 95/],
    [{ compact: { shards: 3, shardValues: ['only-one'] } }, /compact.shardValues.*1 value\(s\) for 3 shards/],
  ] as [StackOverrides, RegExp][])('%j', (overrides, message) => {
    expect(() => validateStack(mergeStack(DEFAULT_STACK, overrides))).toThrow(message);
  });
});
