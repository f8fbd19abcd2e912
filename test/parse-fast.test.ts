import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverOverlays } from '../policies/engine/run.js';
import { parseStream } from '../policies/engine/parse.js';
import { REPO_ROOT } from './helpers/repo-copy.js';

describe('the fast reader of kustomize output', () => {
  const sets = [...discoverOverlays(REPO_ROOT).map((name) => `overlays/${name}`), 'base'];
  it.each(sets)('reads %s exactly as the careful reader does', (dir) => {
    const text = execFileSync('kubectl', ['kustomize', join(REPO_ROOT, dir)], { encoding: 'utf8' });
    const careful = parseStream(text, { file: dir });
    const fast = parseStream(text, { file: dir, trusted: true });
    expect(careful.errors).toEqual([]);
    expect(fast).toEqual(careful);
  });
  it('falls back to the careful reader, with its exact error position, on a document it rejects', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [b\n';
    const fast = parseStream(text, { file: 'x.yaml', trusted: true });
    expect(fast).toEqual(parseStream(text, { file: 'x.yaml' }));
    expect(fast.errors[0].message).toMatch(/^x\.yaml:\d+: YAML syntax error/);
  });
  it('keeps strings that look like dates or booleans of YAML 1.1 as the careful reader does', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  when: 2026-11-25\n  yes: on\n  octal: 0755\n';
    expect(parseStream(text, { file: 'x', trusted: true })).toEqual(parseStream(text, { file: 'x' }));
  });
});
