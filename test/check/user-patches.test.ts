import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUserPatches } from '../../policies/engine/user-patches.js';
import { copyRepo } from '../helpers/repo-copy.js';
import { runInProcess } from '../overlays/cli-harness.js';

const COMPACT = `# Two compactors: the user's idea, not the generator's.
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: thanos-compact
spec:
  replicas: 2
`;
const QUERY = `# A flag Thanos does not have.
- op: add
  path: /spec/template/spec/containers/0/args/-
  value: --query.bogus-flag=1
`;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('a finding caused by a patch in user/ points at that patch and line', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());
  const user = join(copy.root, 'overlays/prod-gcs/user');
  let findings: Array<{ rule: string; kind: string; name: string; file?: string; line?: number }>;
  beforeAll(async () => {
    writeFileSync(join(user, 'compact-replicas.yaml'), COMPACT);
    writeFileSync(join(user, 'query-args.yaml'), QUERY);
    const kustomization = join(user, 'kustomization.yaml');
    writeFileSync(
      kustomization,
      readFileSync(kustomization, 'utf8').replace(
        'patches: []',
        'patches:\n  - path: compact-replicas.yaml\n  - path: query-args.yaml\n    target:\n      kind: Deployment\n      name: thanos-query\n',
      ),
    );
    const run = await runInProcess(copy.root, ['check', '--overlay', 'prod-gcs', '--format', 'json']);
    expect(run.code, run.stderr).toBe(1);
    findings = JSON.parse(run.stdout).findings;
  });

  it('a strategic-merge patch: the line of the field it sets', () => {
    const compact = findings.find((f) => f.rule === 'compact-singleton' && f.name === 'thanos-compact');
    expect(compact).toMatchObject({ file: 'overlays/prod-gcs/user/compact-replicas.yaml', line: lineOf(COMPACT, 'replicas: 2') });
  });

  it('a JSON patch: the line of the operation', () => {
    const flags = findings.find((f) => f.rule === 'thanos-flags' && f.name === 'thanos-query');
    expect(flags).toMatchObject({ file: 'overlays/prod-gcs/user/query-args.yaml', line: lineOf(QUERY, '- op: add') });
  });

  it('findings on objects the user patches do not touch keep their generated source', () => {
    const patched = new Set(['StatefulSet/thanos-compact', 'Deployment/thanos-query']);
    const others = findings.filter((f) => !patched.has(`${f.kind}/${f.name}`));
    for (const f of others) expect(f.file ?? '', `${f.rule} ${f.kind}/${f.name}`).not.toContain('/user/');
  });

  it("reads the patches in kustomize's order, with what each sets", () => {
    const patches = readUserPatches(copy.root, 'prod-gcs');
    expect(patches.map((p) => [p.file, p.kind, p.name])).toEqual([
      ['overlays/prod-gcs/user/compact-replicas.yaml', 'StatefulSet', 'thanos-compact'],
      ['overlays/prod-gcs/user/query-args.yaml', 'Deployment', 'thanos-query'],
    ]);
    expect(patches[1].fields).toEqual([{ path: 'spec.template.spec.containers[].args[]', line: 2 }]);
  });
});
