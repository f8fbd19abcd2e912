import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generate } from '../../generator/operations/generate.js';
import { USER_HEADER } from '../../generator/overlay/plan.js';
import { isGeneratedContent } from '../../generator/write/writer.js';
import { copyRepo } from '../helpers/repo-copy.js';
import { runInProcess } from './cli-harness.js';
import { find, render } from './helpers.js';

describe('user edits survive generate', () => {
  const copy = copyRepo();
  afterAll(() => copy.cleanup());
  const overlay = join(copy.root, 'overlays/dev-minio');

  it("the user Component is the user's: created once, not marked as generated", () => {
    const text = readFileSync(join(overlay, 'user/kustomization.yaml'), 'utf8');
    expect(text.startsWith(USER_HEADER)).toBe(true);
    expect(isGeneratedContent(text)).toBe(false);
  });

  it('a user patch is kept by generate, rendered, and wins over the generated patches', async () => {
    // GIVEN a patch the user adds (Query at 3 replicas, where the dev profile generates 1)
    const patch = stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'thanos-query' }, spec: { replicas: 3 } });
    writeFileSync(join(overlay, 'user/query-replicas.yaml'), patch);
    const kustomization = join(overlay, 'user/kustomization.yaml');
    const mine = readFileSync(kustomization, 'utf8').replace('patches: []', 'patches:\n  - path: query-replicas.yaml');
    writeFileSync(kustomization, mine);
    // WHEN generate runs again
    await generate(copy.root);
    // THEN both files are untouched and the render carries the user's value
    expect(readFileSync(kustomization, 'utf8')).toBe(mine);
    expect(readFileSync(join(overlay, 'user/query-replicas.yaml'), 'utf8')).toBe(patch);
    const { objects, warnings } = await render(overlay);
    expect(warnings).toBe('');
    expect(find(objects, 'Deployment', 'thanos-query').spec.replicas).toBe(3);
    expect((await generate(copy.root, { check: true })).changes).toEqual([]);
  });

  it('generate --check reports a hand edit of a generated overlay file, exit 1; generate repairs it', async () => {
    const file = join(overlay, 'stack/statefulset-prometheus.yaml');
    const original = readFileSync(file, 'utf8');
    const edited = original.replace('replicas: 1', 'replicas: 4');
    expect(edited).not.toBe(original);
    writeFileSync(file, edited);
    const check = await runInProcess(copy.root, ['generate', '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('update overlays/dev-minio/stack/statefulset-prometheus.yaml  (edited by hand)');
    await generate(copy.root);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it("an overlay removed from the registry loses its generated files and keeps the user's", async () => {
    const registry = join(copy.root, 'settings/overlays.ts');
    const text = readFileSync(registry, 'utf8');
    const start = text.indexOf('  // Production on Alibaba Cloud.');
    writeFileSync(registry, text.slice(0, start) + text.slice(text.indexOf('];', start)));
    const { changes } = await generate(copy.root);
    expect(changes.filter((c) => c.path.startsWith('overlays/prod-oss/')).every((c) => c.change === 'delete')).toBe(true);
    expect(existsSync(join(copy.root, 'overlays/prod-oss/kustomization.yaml'))).toBe(false);
    expect(existsSync(join(copy.root, 'overlays/prod-oss/user/kustomization.yaml'))).toBe(true);
  });
});
