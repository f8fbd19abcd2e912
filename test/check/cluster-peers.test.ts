import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEntry, REGISTRY_PATH } from '../../generator/model/registry-file.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';
import { runCliProcess } from '../helpers/cli.js';
import { commitAll, gitIn } from '../helpers/git-repo.js';
import { copyRepo } from '../helpers/repo-copy.js';

/**
 * A fixture registry: eu-gcs and us-gcs in two clusters share one bucket and (by an override) one
 * cluster label; eu2-gcs shares eu-gcs's cluster in another namespace; solo-gcs shares nothing.
 */
const entry = (name: string, cluster: string, bucket: string, extra: Partial<OverlayDefinition> = {}): OverlayDefinition => ({
  name,
  profile: 'prod',
  provider: 'gcs',
  cluster,
  namespace: 'monitoring',
  secrets: 'external-secrets',
  bucket,
  ...extra,
});
const REGISTRY: OverlayDefinition[] = [
  entry('eu-gcs', 'eu-1', 'shared-metrics', { overrides: { prometheus: { clusterLabel: 'global' } } }),
  entry('us-gcs', 'us-1', 'shared-metrics', { overrides: { prometheus: { clusterLabel: 'global' } } }),
  // node-exporter runs once per cluster (it binds the node's port): eu-gcs runs it for eu-1.
  entry('eu2-gcs', 'eu-1', 'eu2-metrics', { namespace: 'monitoring-2', components: { nodeExporter: false } }),
  entry('solo-gcs', 'solo', 'solo-metrics'),
];

describe('overlays edited to share a bucket and labels, and check --changed-since over what a change needs', () => {
  const copy = copyRepo();
  const run = (...args: string[]) => runCliProcess(args, { root: copy.root });
  const findings = (stdout: string) =>
    JSON.parse(stdout).findings as Array<{ rule: string; overlay: string; severity: string; message: string }>;
  beforeAll(() => {
    writeFileSync(
      join(copy.root, REGISTRY_PATH),
      `import type { OverlayDefinition } from './schema/overlay-entry.js';\n\nexport const overlays: OverlayDefinition[] = [\n${REGISTRY.map((e) => `  ${formatEntry(e)},`).join('\n')}\n];\n`,
    );
    const generated = run('generate');
    if (generated.code !== 0) throw new Error(generated.stderr);
    gitIn(copy.root, 'init', '-q', '-b', 'main');
    commitAll(copy.root, 'fixture registry');
  });
  afterAll(() => copy.cleanup());

  it('check exits 1 with an external-labels error naming both overlays and the bucket', () => {
    const result = run('check', '--format', 'json');
    expect(result.code).toBe(1);
    const labels = findings(result.stdout).filter((f) => f.rule === 'external-labels' && f.severity === 'error');
    expect(new Set(labels.map((f) => f.overlay))).toEqual(new Set(['eu-gcs', 'us-gcs']));
    expect(labels.map((f) => f.message)).toContainEqual(
      expect.stringMatching(
        /^overlay eu-gcs \(Prometheus, StatefulSet monitoring\/prometheus\) and overlay us-gcs \(Prometheus, StatefulSet monitoring\/prometheus\) upload to the same bucket GCS shared-metrics with the same external labels \{cluster=global, prometheus_replica=<per pod>\}/,
      ),
    );
    // Distinct buckets and labels elsewhere: nothing about eu2-gcs or solo-gcs.
    expect(findings(result.stdout).filter((f) => f.rule === 'external-labels' && ['eu2-gcs', 'solo-gcs'].includes(f.overlay))).toEqual([]);
  });
});
