import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { discoverOverlays } from '../policies/engine/run.js';
import { REPO_ROOT } from './helpers/repo-copy.js';

type Obj = Record<string, any>;
const POD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job', 'CronJob', 'DaemonSet']);
const sets = [...discoverOverlays(REPO_ROOT).map((name) => `overlays/${name}`), 'base'];
const rendered = new Map(
  sets.map((dir) => [
    dir,
    parseAllDocuments(execFileSync('kubectl', ['kustomize', join(REPO_ROOT, dir)], { encoding: 'utf8' })).map((d) => d.toJS() as Obj),
  ]),
);
const podSpec = (o: Obj) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);

describe.each(sets)('hardening of %s', (dir) => {
  const objects = rendered.get(dir)!;
  const workloads = objects.filter((o) => POD_KINDS.has(o.kind));

  it('every container has a read-only root filesystem, and writes only to volumes', () => {
    for (const w of workloads) {
      const spec = podSpec(w);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        expect(c.securityContext?.readOnlyRootFilesystem, `${w.kind}/${w.metadata.name} ${c.name}`).toBe(true);
      }
    }
  });

  it('only Prometheus and kube-state-metrics mount an API token, and their roles only read, never Secrets', () => {
    for (const w of workloads) {
      const spec = podSpec(w);
      const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === (spec.serviceAccountName ?? 'default'));
      const mounts = spec.automountServiceAccountToken ?? account?.automountServiceAccountToken ?? true;
      expect(mounts, `${w.kind}/${w.metadata.name}`).toBe(['prometheus', 'kube-state-metrics'].includes(w.metadata.name));
    }
    const roles = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      for (const rule of role.rules) {
        expect(
          rule.verbs.every((v: string) => ['get', 'list', 'watch'].includes(v)),
          role.metadata.name,
        ).toBe(true);
        expect(rule.resources ?? [], role.metadata.name).not.toContain('secrets');
      }
    }
  });

  it('a default-deny NetworkPolicy covers the namespace', () => {
    const deny = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny');
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  if (dir !== 'base') {
    it('the Namespace enforces, audits and warns on Pod Security "restricted"', () => {
      const namespace = objects.find((o) => o.kind === 'Namespace');
      for (const mode of ['enforce', 'audit', 'warn'])
        expect(namespace?.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
    });
  }
});
