import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readRegistry } from '../../generator/model/registry-file.js';
import { copyRepo, treeHash } from '../helpers/repo-copy.js';
import { expectRefusal, runInProcess } from '../overlays/cli-harness.js';

/** `new-overlay --role`: an observer, then a leaf and an agent joining it, on the fixture registry. */
describe('new-overlay --role', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());

  beforeAll(async () => {
    const observer = await runInProcess(copy.root, [
      'new-overlay',
      'central-s3',
      '--role',
      'observer',
      '--profile',
      'prod',
      '--cluster',
      'central-1',
      '--bucket',
      'fleet-metrics',
      '--region',
      'eu-west-1',
      '--expose-host',
      'receive.central-1.example.com',
    ]);
    expect(observer.code, observer.stderr).toBe(0);
  });

  describe('refuses, exit 2 with nothing changed', () => {
    const cases: Array<[string, string[], RegExp]> = [
      [
        'an unknown role',
        ['leaf-s3', '--role', 'leef', '--profile', 'prod'],
        /--role 'leef' \(overlay 'leaf-s3'\) is not one of full, observer, leaf, agent\. Did you mean 'leaf'/i,
      ],
      [
        'a leaf without its observer',
        ['eu-s3', '--role', 'leaf', '--profile', 'prod', '--expose-host', 'grpc.eu.example.com'],
        /a leaf names its observer: add observer:/,
      ],
      [
        'a leaf of an overlay that is no observer',
        ['eu-s3', '--role', 'leaf', '--observer', 'prod-oss', '--profile', 'prod', '--expose-host', 'grpc.eu.example.com'],
        /observer 'prod-oss' (is not in the registry|has role 'full')/,
      ],
      [
        'a leaf on another provider',
        ['eu-gcs', '--role', 'leaf', '--observer', 'central-s3', '--profile', 'prod', '--expose-host', 'grpc.eu.example.com'],
        /a leaf's name ends in its observer's provider \('s3'/,
      ],
      [
        'a leaf with a bucket',
        [
          'eu-s3',
          '--role',
          'leaf',
          '--observer',
          'central-s3',
          '--profile',
          'prod',
          '--bucket',
          'x',
          '--expose-host',
          'grpc.eu.example.com',
        ],
        /--bucket does not apply to a leaf/,
      ],
      [
        'a leaf without --expose-host',
        ['eu-s3', '--role', 'leaf', '--observer', 'central-s3', '--profile', 'prod'],
        /a leaf exposes its Query to the observer/,
      ],
      [
        'a TLSRoute without its Gateway',
        [
          'eu-s3',
          '--role',
          'leaf',
          '--observer',
          'central-s3',
          '--profile',
          'prod',
          '--expose-host',
          'grpc.eu.example.com',
          '--expose-via',
          'TLSRoute',
        ],
        /--expose-via TLSRoute needs --gateway <namespace>\/<name>/,
      ],
      [
        '--observer on a full overlay',
        ['qa-s3', '--profile', 'staging', '--observer', 'central-s3'],
        /--observer applies to --role leaf or agent/,
      ],
    ];
    it.each(cases)('%s', async (_, args, message) => expectRefusal(copy.root, ['new-overlay', ...args], message, treeHash(copy.root)));
  });

  it("a leaf joins: its entry has no bucket, the observer's Query dials it, and the observer's files are rewritten in the same run", async () => {
    const result = await runInProcess(copy.root, [
      'new-overlay',
      'eu-s3',
      '--role',
      'leaf',
      '--observer',
      'central-s3',
      '--profile',
      'prod',
      '--cluster',
      'eu-1',
      '--expose-host',
      'grpc.eu-1.example.com',
      '--expose-via',
      'TLSRoute',
      '--gateway',
      'gateways/shared/thanos',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("added 'eu-s3' to settings/overlays.ts (role leaf of observer central-s3,");
    expect(readRegistry(copy.root).find((o) => o.name === 'eu-s3')).toEqual({
      name: 'eu-s3',
      profile: 'prod',
      provider: 's3',
      cluster: 'eu-1',
      namespace: 'monitoring-eu',
      secrets: 'external-secrets',
      role: 'leaf',
      observer: 'central-s3',
      expose: { host: 'grpc.eu-1.example.com', via: 'TLSRoute', gateway: { namespace: 'gateways', name: 'shared', sectionName: 'thanos' } },
    });
    expect(result.stdout).toContain('overlays/central-s3/stack/deployment-thanos-query.yaml');
    const query = readFileSync(join(copy.root, 'overlays/central-s3/stack/deployment-thanos-query.yaml'), 'utf8');
    expect(query).toContain('address: grpc.eu-1.example.com:443');
    const route = parse(readFileSync(join(copy.root, 'overlays/eu-s3/fleet/tlsroute.yaml'), 'utf8'));
    expect(route.spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'gateways', sectionName: 'thanos' },
    ]);
  });

  it("an agent joins: the observer's Receive lists it as a writer", async () => {
    const result = await runInProcess(copy.root, [
      'new-overlay',
      'iot-s3',
      '--role',
      'agent',
      '--observer',
      'central-s3',
      '--profile',
      'staging',
      '--cluster',
      'iot-1',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(copy.root, 'overlays/central-s3/stack/statefulset-thanos-receive.yaml'), 'utf8')).toContain(
      'iot-s3 (Prometheus agent, cluster iot-1)',
    );
    // What generate writes is what new-overlay wrote: nothing drifts.
    const check = await runInProcess(copy.root, ['generate', '--check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('remove-overlay refuses the observer while leaves or agents name it (exit 2, nothing changed), then removes it after them', async () => {
    await expectRefusal(
      copy.root,
      ['remove-overlay', 'central-s3'],
      /'central-s3' is the observer of eu-s3, iot-s3 .*Remove those first \(npm run remove-overlay eu-s3; npm run remove-overlay iot-s3\)/,
      treeHash(copy.root),
    );
    for (const name of ['eu-s3', 'iot-s3', 'central-s3']) {
      const removed = await runInProcess(copy.root, ['remove-overlay', name]);
      expect(removed.code, removed.stderr).toBe(0);
    }
    expect(readRegistry(copy.root).map((o) => o.name)).not.toContain('central-s3');
  });
});
