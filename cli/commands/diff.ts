import type { CommandModule } from 'yargs';
import { repoRoot } from '../../core/repo-root.js';
import { summarizeReasons } from '../../review/changed-paths.js';
import { formatOutputs, writeReport } from '../outputs.js';

const DIFF_FORMATS = ['text', 'markdown'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

interface DiffArgs {
  base: string;
  format?: DiffFormat | DiffFormat[];
  output?: string | string[];
  'artifact-name'?: string;
}

/** Where the whole diff is, for the note in a cut PR comment: the run's artifact on GitHub Actions. */
function fullDiffAt(artifact: string | undefined): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
  if (!artifact) return undefined;
  const link = server && repo && run ? ` of [this workflow run](${server}/${repo}/actions/runs/${run})` : ' of this workflow run';
  return `the \`${artifact}\` artifact${link}`;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff',
  describe: 'Render each overlay a change affects, and the GitOps files, at --base and in the working tree; show only what changes',
  builder: (yargs) =>
    yargs
      .option('base', { type: 'string', demandOption: true, describe: 'Git ref to compare against, e.g. origin/main' })
      .option('format', {
        choices: DIFF_FORMATS,
        nargs: 1,
        describe: 'text (default) or markdown (a PR-comment body); repeatable, paired with --output',
      })
      .option('output', {
        type: 'string',
        nargs: 1,
        describe: 'Write the preceding --format to this file (repeatable; the last format may go to standard output)',
      })
      .option('artifact-name', {
        type: 'string',
        describe: 'Name of the CI artifact that holds the whole diff: a cut markdown body points at it',
      }),
  handler: async (args) => {
    const targets = formatOutputs('diff', args.format, args.output, 'text');
    const { diffAgainst, formatDiff } = await import('../../review/rendered-diff.js');
    const report = await diffAgainst(repoRoot(), args.base);
    // stderr, so the report on stdout stays a clean body.
    for (const o of report.selection.overlays) process.stderr.write(`diff: overlay ${o.name}: ${summarizeReasons(o.reasons)}\n`);
    for (const name of report.selection.removed) process.stderr.write(`diff: overlay ${name}: removed in the working tree\n`);
    for (const note of report.selection.notes ?? []) process.stderr.write(`diff: note: ${note}\n`);
    for (const target of targets)
      writeReport('diff', target, formatDiff(report, target.format, { fullDiffAt: fullDiffAt(args['artifact-name']) }));
  },
};
