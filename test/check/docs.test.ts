import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCS_PATH, renderPoliciesDoc } from '../../policies/build/docs.js';
import { readScores } from '../../policies/build/mutation.js';
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
  it('shows the mutation score of each rule from policies/mutation-scores.json, and drifts when a score changes', () => {
    const scores = readScores();
    const doc = renderPoliciesDoc();
    for (const [id, score] of Object.entries(scores.rules)) {
      if (!policies.some((p) => p.id === id)) continue;
      expect(doc).toContain(`**${score.score}%**, ${score.detected} of`);
      expect(doc).toMatch(new RegExp(`\\| \\[\`${id}\`\\].*\\| ${score.score}% \\|`));
    }
    const rules = {
      ...scores.rules,
      pdb: {
        ...(scores.rules.pdb ?? { date: '2026-01-01', stryker: '9', detected: 1, survived: 0, noCoverage: 0, ignored: 0, invalid: 0 }),
        score: 12.3,
      },
    };
    expect(renderPoliciesDoc(policies, { ...scores, rules })).toContain('**12.3%**');
    expect(renderPoliciesDoc(policies, { ...scores, rules })).not.toBe(readFileSync(DOCS_PATH, 'utf8'));
  });
});
