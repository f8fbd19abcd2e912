import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCliProcess, type CliResult } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * `npm run check` runs JavaScript compiled ahead (scripts/run.mjs, dist/): the models of the
 * generated kinds compiled into one file, the YAML readers into the build, the render started
 * before the CLI loads. None of that may change a report: the compiled CLI and the source agree.
 */
function compiled(args: string[], root: string): CliResult {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/run.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, THANOS_HA_ROOT: root, FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

// Objects of generated kinds (their models are compiled in) and one of a kind that is not, each
// wrong against its schema in its own way, so the messages come from the models themselves.
const INVALID = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s, namespace: n}
spec:
  replicas: three
  serviceName: s
  selector: {matchLabels: {app: s}}
  template:
    metadata: {labels: {app: s}}
    spec:
      containers: [{name: c, image: "quay.io/thanos/thanos:v0.42.4", ports: [{containerPort: "9090"}]}]
---
apiVersion: v1
kind: Service
metadata: {name: s, namespace: n}
spec: {ports: [{port: 80, protocol: HTTPS}], selector: {app: s}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: n}
data: {count: 3}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: n}
spec: {podSelector: {}, policyTypes: Ingress}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: e, namespace: n}
spec: {secretStoreRef: {name: s, kind: ClusterSecretStore}, target: {name: 1}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: j, namespace: n}
spec: {schedule: 5, jobTemplate: {spec: {template: {spec: {containers: []}}}}}
`;

describe('the compiled CLI reports what the source does', () => {
  const root = inject('fixtureRoot');

  it('on objects wrong against their schemas (compiled-in models and one from node_modules)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'compiled-')), 'invalid.yaml');
    writeFileSync(file, INVALID);
    const args = ['check', '--file', file, '--format', 'json'];
    const built = compiled(args, root);
    const source = runCliProcess(args, { root });
    expect(built.code).toBe(1);
    expect(built.stdout).toContain('fails its schema');
    expect(built.stdout).toContain('"CronJob"');
    expect(built).toEqual(source);
  });

  it('on one overlay, its render started before the CLI loads', () => {
    const overlay = readdirSync(join(root, 'overlays')).sort()[0];
    const args = ['check', '--overlay', overlay, '--format', 'json'];
    const built = compiled(args, root);
    expect(JSON.parse(built.stdout).summary.objects).toBeGreaterThan(0);
    expect(built).toEqual(runCliProcess(args, { root }));
  });
});
