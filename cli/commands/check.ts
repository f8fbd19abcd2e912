import type { CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import { repoRoot } from '../../core/repo-root.js';
import { formatOutputs, writeReport } from '../outputs.js';
import { progressLine } from '../progress.js';
import { summarizeReasons } from '../../review/changed-paths.js';
import { FORMATS, type Format } from '../../policies/engine/format.js';
import { THANOS_RELEASES, releaseFor } from '../../core/thanos/flags.js';

interface CheckArgs {
  overlay?: string[];
  file?: string | string[];
  format?: Format | Format[];
  output?: string | string[];
  concurrency?: number;
  'changed-since'?: string;
  origins?: boolean;
  'upgrade-to'?: string;
  'fail-on-placeholder'?: boolean;
  profile?: 'dev' | 'staging' | 'prod';
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Render every overlay, validate every object and run the Thanos-aware policies (exit 1 on error findings, 2 on bad input)',
  builder: (yargs) =>
    yargs
      .option('overlay', { type: 'string', array: true, describe: 'Check only this overlay (repeatable)' })
      // nargs 1 rather than array, so `--file -` reads standard input instead of "-" becoming a positional.
      .option('file', {
        type: 'string',
        nargs: 1,
        describe: 'Check rendered manifests instead: a file, a folder of .yaml/.yml/.json, or - for standard input (repeatable)',
      })
      // Repeatable and paired by position, so one run (one render) writes every format CI needs.
      .option('format', {
        choices: FORMATS,
        nargs: 1,
        describe: 'Output format, text by default (repeatable: each --format goes to the --output after it)',
      })
      .option('output', {
        type: 'string',
        nargs: 1,
        describe: 'Write the preceding --format to this file (repeatable; the last format may go to standard output)',
      })
      .option('concurrency', { type: 'number', describe: 'Renders at once (default: the number of CPUs)' })
      .option('origins', {
        type: 'boolean',
        describe:
          'Render with kustomize origin annotations so each finding names its source file (default: on for sarif, github and junit; off for text and json, since they make kustomize about 75% slower)',
      })
      .option('upgrade-to', {
        type: 'string',
        describe:
          "Also check every Thanos container's flags and config files (objstore, alertmanagers, query, endpoint SD, tracing, request logging) against this Thanos release (e.g. v0.38.0) and list what the upgrade would break or silently ignore",
      })
      .option('fail-on-placeholder', {
        type: 'boolean',
        default: false,
        describe: 'Values still at a placeholder (CHANGE-ME...) are errors, not warnings (turn on once the fork is configured)',
      })
      .option('profile', {
        choices: ['dev', 'staging', 'prod'] as const,
        describe:
          'Judge --file input as this environment profile (rules strict in prod, such as zone-spread, apply), over the thanos-ha.dev/profile label of a Namespace in it; overlays say their own profile',
      })
      .option('changed-since', {
        type: 'string',
        describe: 'Check only the overlays that changes since this git ref affect (e.g. origin/main); says which and why on stderr',
      })
      .check((args) => {
        if (args.overlay?.length && args.file !== undefined) throw new UserError('give --overlay or --file, not both');
        if (args['changed-since'] !== undefined && (args.overlay?.length || args.file !== undefined))
          throw new UserError('give --changed-since alone, without --overlay or --file');
        if (args.concurrency !== undefined && (!Number.isInteger(args.concurrency) || args.concurrency < 1))
          throw new UserError('--concurrency must be a whole number of at least 1');
        const target = args['upgrade-to'];
        if (target !== undefined) {
          const match = releaseFor(String(target));
          if (match.state !== 'known') {
            throw new UserError(
              `--upgrade-to ${target}: the flag reference knows Thanos ${THANOS_RELEASES[0]} to ${THANOS_RELEASES[THANOS_RELEASES.length - 1]}; give one of those versions (e.g. v0.38.0)`,
            );
          }
        }
        return true;
      }),
  handler: async (args) => {
    const targets = formatOutputs('check', args.format, args.output, 'text');
    const onlyText = targets.length === 1 && targets[0].format === 'text';
    const files = args.file === undefined ? undefined : ([] as string[]).concat(args.file).map(String);
    let overlays = args.overlay?.map(String);
    let nothingToCheck = false;
    let base: Map<string, Map<string, unknown>> | undefined;
    const since = args['changed-since'];
    if (since !== undefined) {
      const { selectChanges } = await import('../../review/affected-overlays.js');
      const affected = await selectChanges(repoRoot(), since, 'check --changed-since', 'check');
      // stderr, so a JSON or SARIF report on stdout stays parseable.
      for (const o of affected.overlays) process.stderr.write(`check: overlay ${o.name}: ${summarizeReasons(o.reasons)}\n`);
      for (const name of affected.removed) process.stderr.write(`check: overlay ${name} was removed; nothing to check\n`);
      for (const note of affected.notes ?? []) process.stderr.write(`check: note: ${note}\n`);
      if (affected.overlays.length === 0) process.stderr.write(`check: no overlay is affected by the changes since ${since}\n`);
      overlays = affected.overlays.map((o) => o.name);
      nothingToCheck = overlays.length === 0;
      // The immutable-field rule compares each object with what the overlay rendered at the ref.
      const { renderAt } = await import('../../review/rendered-diff.js');
      base = await renderAt(repoRoot(), since, overlays, 'check --changed-since');
    }
    const stdin = files?.includes('-') ? await readStdin() : undefined;
    // Loaded here, not at the top: the schema models are heavy and other commands do not need them.
    const [{ exitCodeOf, runCheck }, { policies }, { format }] = await Promise.all([
      import('../../policies/engine/run.js'),
      import('../../policies/registry.js'),
      import('../../policies/engine/format.js'),
    ]);
    // A progress line on the terminal for runs over a second; never in machine-readable formats.
    const progress = progressLine(process.stderr, 'check', { enabled: onlyText });
    const report = nothingToCheck
      ? { findings: [], suppressed: [], inputErrors: [], summary: { errors: 0, warnings: 0, objects: 0, suppressed: 0 }, sets: [] }
      : await runCheck({
          policies,
          root: repoRoot(),
          overlays,
          files,
          stdin,
          concurrency: args.concurrency,
          origins: args.origins ?? targets.some((t) => ['sarif', 'github', 'junit'].includes(t.format)),
          onProgress: progress.update,
          settings: {
            upgradeTo: args['upgrade-to'],
            failOnPlaceholder: args['fail-on-placeholder'] === true,
            profile: args.profile,
            ...(base ? { base } : {}),
          },
        });
    progress.finish();
    const { PROMTOOL_SKIPPED, promtoolAvailable } = await import('../../policies/rules/prometheus-rules.js');
    if (!nothingToCheck && !promtoolAvailable()) process.stderr.write(`${PROMTOOL_SKIPPED}\n`);
    for (const target of targets) {
      const color = target.output === undefined && target.format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
      writeReport('check', target, format(report, target.format, { policies, color }));
    }
    // Input errors go to stderr too, so a machine-readable stdout stays parseable and the reason is visible.
    if (!onlyText || targets[0].output) for (const e of report.inputErrors) process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = exitCodeOf(report);
  },
};
