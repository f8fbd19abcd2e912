import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCS_PATH, renderPoliciesDoc } from '../../policies/build/docs.js';
import { policies } from '../../policies/registry.js';

describe('docs/policies.md', () => {
  it('is what the registry generates (run `npm run docs` after changing a policy)', () => {
    expect(readFileSync(DOCS_PATH, 'utf8')).toBe(renderPoliciesDoc());
  });
  it('documents every policy with its suppression annotation', () => {
    const doc = renderPoliciesDoc();
    for (const p of policies) {
      expect(doc).toContain(`## ${p.id}`);
      expect(doc).toContain(`thanos-ha.dev/ignore-${p.id}`);
    }
  });
  it('drifts when a policy changes', () => {
    const changed = policies.map((p) => (p.id === 'pdb' ? { ...p, remediation: 'Something else.' } : p));
    expect(renderPoliciesDoc(changed)).not.toBe(readFileSync(DOCS_PATH, 'utf8'));
  });
});
