import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policies } from '../registry.js';
import { MUTATION_THRESHOLD, readScores, renderScores, ruleIds, scoreOf } from './mutation.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm run mutation', () => {
  it('scores killed and timed-out mutants over every mutant a test could notice', () => {
    const score = scoreOf(['Killed', 'Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'RuntimeError'], '2026-12-07', '9.6.1');
    expect(score).toEqual({
      date: '2026-12-07',
      stryker: '9.6.1',
      detected: 3,
      survived: 1,
      noCoverage: 1,
      ignored: 1,
      invalid: 1,
      score: 60,
    });
    expect(scoreOf([], 'd', 'v').score).toBe(100);
  });

  it('mutates every registered rule, each beside its own table test', () => {
    expect(ruleIds()).toEqual(policies.map((p) => p.id).sort());
    for (const id of ruleIds()) expect(existsSync(join(ROOT, 'policies', 'rules', `${id}.test.ts`)), id).toBe(true);
  });

  it('keeps the committed scores file in its own sorted form, for known rules only', () => {
    const scores = readScores();
    expect(scores.threshold).toBe(MUTATION_THRESHOLD);
    expect(renderScores(scores)).toBe(
      renderScores({ threshold: scores.threshold, rules: Object.fromEntries(Object.entries(scores.rules).reverse()) }),
    );
    for (const id of Object.keys(scores.rules)) expect(ruleIds()).toContain(id);
  });

  it('refuses a rule id that names no rule file, exit 2, listing the rules', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'policies/build/mutation.ts', 'no-such-rule'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no rule file policies/rules/no-such-rule.ts');
    expect(run.stderr).toContain('compact-tmp');
  });
});
