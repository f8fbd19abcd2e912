import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APPLY_SECONDS, fluxTiming, POD_START_SECONDS, rolloutSeconds } from '../../generator/gitops/rollout.js';
import { planGeneration } from '../../generator/operations/generate.js';
import { parseDuration } from '../../core/units/duration.js';
import { REPO_ROOT } from '../helpers/repo-copy.js';
import type { KubeObject } from '../../generator/build-stack.js';

const workload = (kind: string, replicas: number, grace?: number) =>
  ({
    kind,
    spec: { replicas, template: { spec: grace === undefined ? {} : { terminationGracePeriodSeconds: grace } } },
  }) as unknown as KubeObject;
const seconds = (text: string) => parseDuration(text)! / 1000;

describe('Flux timing from the rollout bound (generator/gitops/rollout.ts)', () => {
  it('a StatefulSet rolls one pod at a time: replicas x (grace + start), plus the apply margin; the longest workload counts', () => {
    // Prometheus: 2 x (600 s + 120 s) + 300 s; Receive ingestors: 3 x (900 s + 120 s) + 300 s.
    expect(rolloutSeconds([workload('StatefulSet', 2, 600)])).toBe(2 * (600 + POD_START_SECONDS) + APPLY_SECONDS);
    expect(rolloutSeconds([workload('StatefulSet', 2, 600), workload('StatefulSet', 3, 900)])).toBe(3 * 1020 + 300);
    // A Deployment at the default 25% surge: 8 replicas in 4 waves of 2; no grace period given is Kubernetes' 30 s.
    expect(rolloutSeconds([workload('Deployment', 8)])).toBe(4 * (30 + 120) + 300);
    expect(rolloutSeconds([])).toBe(APPLY_SECONDS);
  });
  it('the timeout covers the rollout in whole minutes (Flux takes ms/s/m/h) and stays below the interval, which is raised when needed', () => {
    expect(fluxTiming(3360, { interval: '10m', timeout: '10m' })).toEqual({ timeout: '56m', interval: '61m' });
    expect(fluxTiming(300, { interval: '1h', timeout: '10m' })).toEqual({ timeout: '10m', interval: '1h' });
    expect(fluxTiming(0, { interval: '10m', timeout: '10m' })).toEqual({ timeout: '10m', interval: '15m' });
  });
  it('every generated Flux Kustomization outlasts its overlay rollout bound and ends before its next reconciliation', () => {
    const plan = planGeneration();
    const bounds = new Map<string, number>();
    const fluxFiles = plan.files.filter((f) => f.path.startsWith('clusters/') && !f.path.endsWith('kustomization.yaml'));
    expect(fluxFiles.length).toBe(plan.registry.entries.length);
    for (const file of fluxFiles) {
      const k = parse(readFileSync(join(REPO_ROOT, file.path), 'utf8'));
      const name = String(k.metadata.name).replace(/^thanos-ha-/, '');
      const stack = plan.registry.overlay(name).stack;
      // The longest StatefulSet in the stack: Prometheus (600 s) and, where it runs, Receive ingestors (900 s).
      const prometheus = stack.prometheus.replicas * (600 + POD_START_SECONDS);
      const receive = stack.receive.enabled ? stack.receive.replicas * (900 + POD_START_SECONDS) : 0;
      bounds.set(name, Math.max(prometheus, receive) + APPLY_SECONDS);
      expect(seconds(k.spec.timeout), name).toBeGreaterThanOrEqual(bounds.get(name)!);
      expect(seconds(k.spec.timeout), name).toBeLessThan(seconds(k.spec.interval));
    }
  });
});
