import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policies } from '../registry.js';
import {
  belowThreshold,
  failedTestsOf,
  initialRunFailure,
  MUTATION_THRESHOLD,
  readScores,
  renderScores,
  ruleIds,
  scoreOf,
  summaryRow,
} from './mutation.js';

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

  it('records a rule whose table test fails without any mutant instead of stopping: no score, below the threshold', () => {
    // StrykerJS 9.6.1 process/3-dry-run-executor.js validateResultCompleted: the two errors of its initial run.
    expect(initialRunFailure(new Error('There were failed tests in the initial test run.'))).toBe('tests fail without any mutant');
    expect(initialRunFailure(new Error('Something went wrong in the initial test run'))).toBe(
      'the test file does not run without any mutant',
    );
    // Anything else (Stryker itself broken, a bad option) is no fact about one rule: the run stops as before.
    expect(initialRunFailure(new Error('Cannot find TestRunner plugin "vitest"'))).toBeUndefined();
    expect(initialRunFailure('a string thrown')).toBeUndefined();

    const failure = { date: '2026-12-07', stryker: '9.6.1', tableTestFails: "tests fail without any mutant: 'pdb > passes'" };
    expect(belowThreshold(failure)).toBe(true);
    expect(belowThreshold(scoreOf(['Killed', 'Killed', 'Killed', 'Killed', 'Survived'], 'd', 'v'))).toBe(false); // 80% is enough
    expect(belowThreshold(scoreOf(['Killed', 'Killed', 'Killed', 'Survived'], 'd', 'v'))).toBe(true); // 75%
    expect(summaryRow('pdb', failure)).toBe('| `pdb` | **table test fails** | – | – | – | – |');
    expect(summaryRow('pdb', scoreOf(['Killed', 'Survived'], 'd', 'v'))).toBe('| `pdb` | **50%** | 1 | 1 | 0 | 0 |');
    expect(summaryRow('pdb', scoreOf(['Killed'], 'd', 'v'))).toBe('| `pdb` | 100% | 1 | 0 | 0 | 0 |');
    // The entry sits in the scores file beside measured ones, in the same sorted form.
    const scores = { threshold: MUTATION_THRESHOLD, rules: { zone: scoreOf(['Killed'], 'd', 'v'), pdb: failure } };
    expect(JSON.parse(renderScores(scores)).rules).toEqual({ pdb: failure, zone: scores.rules.zone });
  });

  it("names what fails from the table test's own vitest run: each failed test, or the error that stopped the file", () => {
    expect(
      failedTestsOf({
        testResults: [
          {
            name: '/repo/policies/rules/pdb.test.ts',
            status: 'failed',
            assertionResults: [
              { fullName: 'pdb passes: a PDB per workload', status: 'passed' },
              { fullName: 'pdb fails: a PDB that selects no pod', status: 'failed' },
              { title: 'warns: maxUnavailable 0', status: 'failed' },
            ],
          },
        ],
      }),
    ).toEqual(["'pdb fails: a PDB that selects no pod'", "'warns: maxUnavailable 0'"]);
    expect(
      failedTestsOf({
        testResults: [
          { status: 'failed', message: 'Failed to load url ./pdbx.js (resolved id: ./pdbx.js)\n at stack', assertionResults: [] },
        ],
      }),
    ).toEqual(['Failed to load url ./pdbx.js (resolved id: ./pdbx.js)']);
    expect(failedTestsOf({ testResults: [{ status: 'failed', assertionResults: [] }] })).toEqual(['the file fails']);
    expect(failedTestsOf({ testResults: [{ status: 'passed', assertionResults: [{ fullName: 'x', status: 'passed' }] }] })).toEqual([]);
    expect(failedTestsOf({})).toEqual([]);
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
