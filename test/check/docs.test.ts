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
      if (!policies.some((p) => p.id === id) || !('score' in score)) continue;
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
  it('shows a rule whose table test fails as such, with what fails, and no score', () => {
    const scores = readScores();
    const failing = {
      date: '2026-12-07',
      stryker: '9.6.1',
      tableTestFails: "tests fail without any mutant: 'pdb > fails: a PDB that selects no pod'",
    };
    const doc = renderPoliciesDoc(policies, { ...scores, rules: { ...scores.rules, pdb: failing } });
    expect(doc).toMatch(/\| \[`pdb`\]\(#pdb\) \| .* \| table test fails \|/);
    const section = doc.slice(doc.indexOf('## pdb\n'), doc.indexOf('\n## ', doc.indexOf('## pdb\n') + 1));
    expect(section).toContain(
      "- Mutation score: none, its own table test fails (tests fail without any mutant: 'pdb > fails: a PDB that selects no pod'), so no mutant was judged; counted below 80% until it passes (Stryker 9.6.1, 2026-12-07).",
    );
    expect(section).not.toMatch(/\*\*\d+(\.\d)?%\*\*/);
  });
});
