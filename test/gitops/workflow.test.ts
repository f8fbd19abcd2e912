import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/repo-copy.js';

const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/pull-request.yaml'), 'utf8'));
const steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> = workflow.jobs.check.steps;
const runs = steps.map((s) => s.run ?? '').join('\n');

describe('the pull-request workflow', () => {
  it('runs on pull requests with the permissions code scanning needs', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions['security-events']).toBe('write');
    expect(Object.keys(workflow.jobs)).toEqual(['check']);
  });
  it('pins the standard actions to major versions and fetches the base branch', () => {
    const uses = steps.filter((s) => s.uses).map((s) => s.uses!);
    for (const action of uses) expect(action).toMatch(/@v\d+$/);
    expect(uses).toEqual(expect.arrayContaining(['actions/checkout@v4', 'actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']));
    expect(steps[0].with!['fetch-depth']).toBe(0);
  });
  it('runs npm ci, the drift check, the tests, SARIF and annotations on the changed overlays, and the diff', () => {
    const order = ['npm ci', 'npm run generate -- --check', 'npm test', '--format sarif', '--format github', 'diff -- --base'];
    const positions = order.map((text) => runs.indexOf(text));
    for (const [i, p] of positions.entries()) expect(p, order[i]).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(runs).toContain('--changed-since "$BASE_REF"');
    expect(runs).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });
  it('uses only npm scripts that exist', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);
    for (const match of runs.matchAll(/npm run (?:--silent )?([\w-]+)/g)) expect(scripts).toContain(match[1]);
  });
});
