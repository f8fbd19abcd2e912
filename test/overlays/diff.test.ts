import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { strategicPatch } from '../../generator/overlay/strategic-merge-patch.js';
import { stringify } from '../../core/yaml.js';

const container = (args: string[], extra: Record<string, unknown> = {}) => ({
  name: 'thanos-compact',
  image: 'quay.io/thanos/thanos:v0.42.4',
  args,
  ...extra,
});
const deployment = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'thanos-compact' },
  spec,
});
const podSpec = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  replicas: 1,
  selector: { matchLabels: { app: 'c' } },
  template: { metadata: { labels: { app: 'c' } }, spec: { containers, ...extra } },
});

const from = deployment(
  podSpec(
    [
      container(['compact', '--retention.resolution-raw=30d', '--wait'], {
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }),
      { name: 'sidecar', image: 'busybox:1.36', args: ['sleep'] },
    ],
    {
      volumes: [
        { name: 'data', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
      nodeSelector: { disk: 'ssd' },
    },
  ),
);
const to = deployment(
  podSpec(
    [
      container(['compact', '--retention.resolution-raw=90d', '--wait'], {
        env: [{ name: 'A', value: '1' }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      }),
      { name: 'sidecar', image: 'busybox:1.36', args: ['sleep'] },
    ],
    { volumes: [{ name: 'data', emptyDir: {} }] },
  ),
);

describe('strategicPatch: generated overlay patches name what they change', () => {
  const patch = strategicPatch(from, to)!;

  it('is empty for equal objects', () => expect(strategicPatch(from, structuredClone(from))).toBeUndefined());

  it('names the container and carries its whole args list; no list position anywhere', () => {
    const containers = (patch as any).spec.template.spec.containers;
    expect(containers).toHaveLength(1);
    expect(containers[0].name).toBe('thanos-compact');
    expect(containers[0].args).toEqual(['compact', '--retention.resolution-raw=90d', '--wait']);
    expect(patch.metadata).toEqual({ name: 'thanos-compact' });
    expect(stringify(patch)).not.toMatch(/\/\d+|op: /);
    // a removed key is null, lists merged by a key are replaced whole
    expect((patch as any).spec.template.spec.nodeSelector).toBeNull();
    expect(containers[0].volumeMounts[0]).toEqual({ $patch: 'replace' });
  });

  it('applied by the real kustomize to `from`, gives exactly `to`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thanos-ha-smp-'));
    try {
      writeFileSync(join(dir, 'deployment.yaml'), stringify(from));
      writeFileSync(join(dir, 'patch.yaml'), stringify(patch));
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        stringify({
          resources: ['deployment.yaml'],
          patches: [{ path: 'patch.yaml', target: { kind: 'Deployment', name: 'thanos-compact' } }],
        }),
      );
      const rendered = parse(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }));
      expect(rendered).toEqual(to);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
