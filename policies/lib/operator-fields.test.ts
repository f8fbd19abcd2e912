import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without types, read here for the functions it builds the table with.
import { crdBlobs, readerHash, releasesOf } from '../../scripts/read-operator-crd-fields.mjs';
import reference from '../../core/reference/prometheus-operator-fields-by-version.json' with { type: 'json' };
import { OPERATOR_FIELDS, operatorFieldProblems, PINNED_OPERATOR } from './operator-fields.js';

const prometheus = (spec: Record<string, unknown>) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Prometheus',
  metadata: { name: 'p' },
  spec,
});

describe('prometheus-operator fields by release', () => {
  // monitoring.coreos.com_prometheuses.yaml: spec.schedulerName is in v0.90.1's and not in v0.89.0's.
  it('judges a field by the pinned release: unknown everywhere, newer than the pin, or served', () => {
    const object = prometheus({ replica: 1, replicas: 1, schedulerName: 'x', shards: 1 });
    expect(operatorFieldProblems(object, 'v0.89.0')).toEqual([
      { path: 'spec.replica', verdict: 'unknown', suggestion: 'replicas' },
      { path: 'spec.schedulerName', verdict: 'newer', release: 'v0.90.1' },
    ]);
    expect(operatorFieldProblems(object, 'v0.93.0')).toEqual([{ path: 'spec.replica', verdict: 'unknown', suggestion: 'replicas' }]);
  });

  it('descends into arrays, leaves maps open and knows nothing of kinds it was not built from', () => {
    const object = prometheus({
      externalLabels: { anything: 'x' },
      containers: [{ name: 'a', imagePullPolicy: 'Always', imagePullPolcy: 'x' }],
    });
    expect(operatorFieldProblems(object, 'v0.89.0')).toEqual([
      { path: 'spec.containers[0].imagePullPolcy', verdict: 'unknown', suggestion: 'imagePullPolicy' },
    ]);
    expect(operatorFieldProblems({ apiVersion: 'example.com/v1', kind: 'Prometheus', spec: { x: 1 } })).toEqual([]);
  });

  it('holds the release settings/versions.ts pins (re-run scripts/read-operator-crd-fields.mjs when it moves)', () => {
    expect(OPERATOR_FIELDS.releases).toContain(PINNED_OPERATOR);
  });

  it('was read by the reader as it is now (re-run it after changing scripts/read-operator-crd-fields.mjs)', () => {
    expect(reference.reader).toBe(readerHash());
  });

  // With a clone of prometheus-operator at hand (the `fetch` tool's mirror, or PROMETHEUS_OPERATOR_GIT_DIR):
  // the same releases and the same CRD files as when the table was read.
  const clone =
    process.env.PROMETHEUS_OPERATOR_GIT_DIR ?? ['/work/.mirror/prometheus-operator+prometheus-operator/repo'].find((d) => existsSync(d));
  it.skipIf(!clone)('matches the CRDs of every release in the clone', () => {
    const git = (...args: string[]) => execFileSync('git', ['--git-dir', clone!, ...args], { encoding: 'utf8' });
    const releases = releasesOf(git('tag').split('\n'));
    expect(reference.releases).toEqual(releases);
    expect(reference.crdBlobs).toBe(crdBlobs(git, releases));
  });
});
