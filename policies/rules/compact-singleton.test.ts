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
