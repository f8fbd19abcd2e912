import { stringify } from 'yaml';
import { generatedFile, type GeneratedFile } from '../write/writer.js';
import { GITOPS, type GitOpsSettings } from '../../settings/gitops.js';

const SOURCE = 'generator/gitops/workflows.ts';
export const WORKFLOWS_DIR = '.github/workflows';
export const PULL_REQUEST_WORKFLOW = 'pull-request';
/** The folder the pull-request run writes its report to, and the artifact that carries it. */
export const REPORT_DIR = 'pr-report';
export const REPORT_ARTIFACT = 'pr-report';
/** The script the commenting job runs: hand-written, tested in test/gitops/pr-comment.test.ts. */
export const COMMENT_SCRIPT = '.github/scripts/pr-comment.mjs';

export const MUTATION_WORKFLOW = 'mutation';
/** Where `npm run mutation` writes Stryker's reports; the artifact that carries them and the scores. */
export const MUTATION_REPORT_DIR = 'reports/mutation';
export const MUTATION_SCORES = 'policies/mutation-scores.json';

const KUBECTL_VERSION = 'v1.32.4';
const NODE_VERSION = 20;
/** Until the fork's settings are filled in, a placeholder is a warning; from then on, an error. */
const PLACEHOLDER_MARK = 'CHANGE-ME';

/** The branches Renovate opens its pull requests from (renovate.json `branchPrefix`; a test keeps the two equal). */
export const RENOVATE_BRANCH_PREFIX = 'renovate/';

type Step = Record<string, unknown>;

/**
 * On a Renovate branch (settings/versions.ts changed, nothing else): regenerate and check as
 * `npm run upgrade -- --since <base>` does, report it, and fail while the branch lacks the files
 * it writes, naming the command. It does not push them: a commit pushed with the workflow's token
 * starts no workflow run (no checks on it), Renovate stops updating a branch someone else committed
 * to, and this job runs the pull request's code with a read-only token.
 */
const renovateRegenerate = (): Step => ({
  name: 'Renovate branch: regenerate for the new pins, check and report (fails until the regenerated files are committed)',
  if: `startsWith(github.head_ref, '${RENOVATE_BRANCH_PREFIX}')`,
  run: [
    `mkdir -p ${REPORT_DIR}`,
    'status=0',
    `npm run --silent upgrade -- --since "$BASE_REF" > ${REPORT_DIR}/upgrade.txt 2>&1 || status=$?`,
    `cat ${REPORT_DIR}/upgrade.txt`,
    `{ echo '### npm run upgrade -- --since '"$BASE_REF"; echo; echo '\`\`\`'; cat ${REPORT_DIR}/upgrade.txt; echo '\`\`\`'; } > ${REPORT_DIR}/upgrade.md`,
    `cat ${REPORT_DIR}/upgrade.md >> "$GITHUB_STEP_SUMMARY"`,
    `if [ -n "$(git status --porcelain -- . ':!${REPORT_DIR}')" ]; then`,
    `  echo "::error title=Regenerate for the new pins::This branch changes settings/versions.ts but not the files generated from it. On the branch run: npm ci && npm run upgrade -- --since $BASE_REF, then commit and push what it writes (docs/day-two.md#by-bot)."`,
    '  exit 1',
    'fi',
    'exit "$status"',
    '',
  ].join('\n'),
});

const setupNode = (cache: boolean): Step => ({
  uses: 'actions/setup-node@v4',
  with: { 'node-version': NODE_VERSION, ...(cache ? { cache: 'npm' } : {}) },
});

/**
 * The untrusted half: runs the fork's code with a read-only token, on pull requests to the branch
 * Argo CD and Flux follow. One `check` (one render) writes SARIF, the markdown summary and the
 * annotations; one `diff` writes the comment's diff and the whole diff; both go up as an artifact
 * that the commenting workflow reads as data. SARIF goes to code scanning in a job of its own, the
 * only one with `security-events: write`, and never fails the run where code scanning is off.
 */
export function pullRequestWorkflow(
  settings: GitOpsSettings = GITOPS,
  options: { failOnPlaceholder?: boolean } = {},
): Record<string, unknown> {
  const strict = options.failOnPlaceholder ?? !settings.repoURL.includes(PLACEHOLDER_MARK);
  const check = [
    'npm run --silent check -- --changed-since "$BASE_REF"',
    ...(strict ? ['--fail-on-placeholder'] : []),
    `--format sarif --output ${REPORT_DIR}/policies.sarif`,
    `--format markdown --output ${REPORT_DIR}/policies.md`,
    '--format github',
  ].join(' ');
  const diff = `npm run --silent diff -- --base "$BASE_REF" --artifact-name ${REPORT_ARTIFACT} --format markdown --output ${REPORT_DIR}/diff.md --format text --output ${REPORT_DIR}/diff.txt`;
  return {
    name: PULL_REQUEST_WORKFLOW,
    on: { pull_request: { branches: [settings.branch] } },
    permissions: {},
    concurrency: { group: 'pull-request-${{ github.event.pull_request.number }}', 'cancel-in-progress': true },
    jobs: {
      check: {
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 30,
        permissions: { contents: 'read' },
        env: { BASE_REF: 'origin/${{ github.base_ref }}' },
        steps: [
          // The whole history: --changed-since and diff compare with the base branch.
          { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0, 'persist-credentials': false } },
          setupNode(true),
          { uses: 'azure/setup-kubectl@v4', with: { version: KUBECTL_VERSION } },
          // promtool and amtool for the tests; the prometheus and prometheus-alertmanager binaries for the e2e suite.
          {
            name: 'Install Prometheus and Alertmanager (promtool, amtool, and the servers the e2e suite runs)',
            run: 'sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager',
          },
          { name: 'Install dependencies', run: 'npm ci --no-audit --no-fund' },
          renovateRegenerate(),
          { name: 'Generated files match the generator', run: 'npm run generate -- --check' },
          { name: 'Tests', run: 'npm test' },
          { name: 'Alerting on real Prometheus and Alertmanager processes (e2e)', run: 'npm run e2e' },
          { name: 'A fork configured as the README says stays green (fork-play)', run: 'npm run fork-play' },
          {
            name: 'Policies on the affected overlays (SARIF, markdown and annotations from one render)',
            if: '!cancelled()',
            run: `mkdir -p ${REPORT_DIR}\n${check}\n`,
          },
          { name: 'Rendered changes', if: '!cancelled()', run: `mkdir -p ${REPORT_DIR}\n${diff}\n` },
          {
            // A failed step leaves its part out; the comment still says what there is.
            name: 'Comment body (posted by the pull-request-comment workflow) and job summary',
            if: '!cancelled()',
            run: `mkdir -p ${REPORT_DIR}\ncat ${REPORT_DIR}/upgrade.md ${REPORT_DIR}/policies.md ${REPORT_DIR}/diff.md > ${REPORT_DIR}/comment.md 2>/dev/null || true\ncat ${REPORT_DIR}/comment.md >> "$GITHUB_STEP_SUMMARY"\n`,
          },
          {
            name: 'Upload the report',
            if: '!cancelled()',
            uses: 'actions/upload-artifact@v4',
            with: { name: REPORT_ARTIFACT, path: `${REPORT_DIR}/`, 'retention-days': 14, 'if-no-files-found': 'ignore' },
          },
        ],
      },
      'code-scanning': {
        needs: 'check',
        if: '!cancelled()',
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 10,
        // actions: read lets upload-sarif read the run on private repositories.
        permissions: { actions: 'read', contents: 'read', 'security-events': 'write' },
        steps: [
          { uses: 'actions/download-artifact@v4', with: { name: REPORT_ARTIFACT, path: REPORT_DIR } },
          {
            name: 'Upload policy findings to code scanning (optional: a repository without code scanning skips it)',
            if: `hashFiles('${REPORT_DIR}/policies.sarif') != ''`,
            'continue-on-error': true,
            uses: 'github/codeql-action/upload-sarif@v3',
            with: { sarif_file: `${REPORT_DIR}/policies.sarif`, category: 'thanos-ha-policies' },
          },
        ],
      },
    },
  };
}

/**
 * The trusted half: a `workflow_run` of the pull-request workflow runs from the default branch with
 * a token that may comment. It downloads the report artifact and posts it with the default
 * branch's script; it never checks out or runs the pull request's code, and takes the pull request
 * from the run (or, for a fork, from the API by head SHA), never from the artifact.
 */
export function commentWorkflow(): Record<string, unknown> {
  return {
    name: `${PULL_REQUEST_WORKFLOW}-comment`,
    on: { workflow_run: { workflows: [PULL_REQUEST_WORKFLOW], types: ['completed'] } },
    permissions: {},
    jobs: {
      comment: {
        if: "github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.conclusion != 'cancelled'",
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 5,
        permissions: { actions: 'read', contents: 'read', 'pull-requests': 'write' },
        steps: [
          // The default branch's script only: sparse, no credentials left behind.
          {
            uses: 'actions/checkout@v4',
            with: { 'sparse-checkout': COMMENT_SCRIPT.replace(/\/[^/]+$/, ''), 'persist-credentials': false },
          },
          {
            name: 'Download the report (data only)',
            'continue-on-error': true,
            uses: 'actions/download-artifact@v4',
            with: {
              name: REPORT_ARTIFACT,
              path: REPORT_DIR,
              'run-id': '${{ github.event.workflow_run.id }}',
              'github-token': '${{ github.token }}',
            },
          },
          setupNode(false),
          {
            name: 'Post or update the pull-request comment',
            run: `node ${COMMENT_SCRIPT}`,
            env: {
              GITHUB_TOKEN: '${{ github.token }}',
              REPORT_FILE: `${REPORT_DIR}/comment.md`,
              HEAD_SHA: '${{ github.event.workflow_run.head_sha }}',
              HEAD_REPO: '${{ github.event.workflow_run.head_repository.full_name }}',
              PR_NUMBERS: "${{ join(github.event.workflow_run.pull_requests.*.number, ' ') }}",
              RUN_URL: '${{ github.event.workflow_run.html_url }}',
            },
          },
        ],
      },
    },
  };
}

/**
 * Mutation testing of the rules (`npm run mutation`): too slow for every pull request (tens of
 * minutes), so weekly and on demand, optionally for a few rules. Reads the repository only; the
 * report and the measured scores go up as an artifact, and a maintainer commits the scores file.
 * A rule whose own table test kills fewer mutants than the threshold fails the run.
 */
export function mutationWorkflow(): Record<string, unknown> {
  return {
    name: MUTATION_WORKFLOW,
    on: {
      schedule: [{ cron: '23 4 * * 1' }],
      workflow_dispatch: {
        inputs: {
          rules: {
            description: 'Rule ids separated by spaces (policies/rules/<id>.ts); empty for every rule',
            required: false,
            default: '',
          },
        },
      },
    },
    permissions: {},
    concurrency: { group: MUTATION_WORKFLOW, 'cancel-in-progress': false },
    jobs: {
      mutation: {
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 240,
        permissions: { contents: 'read' },
        steps: [
          { uses: 'actions/checkout@v4', with: { 'persist-credentials': false } },
          setupNode(true),
          { name: 'Install dependencies', run: 'npm ci --no-audit --no-fund' },
          {
            // The input reaches the command as data: split into words here, each checked as a rule id by the script.
            name: 'Mutation testing of each rule by its own table test',
            env: { RULES: '${{ inputs.rules }}' },
            run: 'read -r -a rules <<< "$RULES"\nnpm run mutation -- "${rules[@]}"\n',
          },
          {
            name: 'Scores in the job summary',
            if: '!cancelled()',
            run: `cat ${MUTATION_REPORT_DIR}/summary.md >> "$GITHUB_STEP_SUMMARY" 2>/dev/null || true`,
          },
          {
            name: 'Upload the report and the scores',
            if: '!cancelled()',
            uses: 'actions/upload-artifact@v4',
            with: {
              name: MUTATION_WORKFLOW,
              path: `${MUTATION_REPORT_DIR}/\n${MUTATION_SCORES}\n`,
              'retention-days': 30,
              'if-no-files-found': 'ignore',
            },
          },
        ],
      },
    },
  };
}

/** Workflow YAML in the order a person writes it (name, on, permissions, jobs), not sorted like manifests. */
function workflowFile(name: string, workflow: Record<string, unknown>): GeneratedFile {
  return generatedFile(`${WORKFLOWS_DIR}/${name}.yaml`, stringify(workflow, { lineWidth: 0 }), SOURCE);
}

export function workflowFiles(settings: GitOpsSettings = GITOPS): GeneratedFile[] {
  return [
    workflowFile(PULL_REQUEST_WORKFLOW, pullRequestWorkflow(settings)),
    workflowFile(`${PULL_REQUEST_WORKFLOW}-comment`, commentWorkflow()),
    workflowFile(MUTATION_WORKFLOW, mutationWorkflow()),
  ];
}
