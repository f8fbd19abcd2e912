import type { CommandModule } from 'yargs';
import { writeFileSync } from 'node:fs';
import { repoRoot } from '../../repo.js';
import { summarizeReasons } from '../../changes.js';

interface DiffArgs {
  base: string;
  format: 'text' | 'markdown';
  output?: string;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff',
  describe: 'Render each overlay a change affects at --base and in the working tree, and show what changes',
  builder: (yargs) =>
    yargs
      .option('base', { type: 'string', demandOption: true, describe: 'Git ref to compare against, e.g. origin/main' })
      .option('format', { choices: ['text', 'markdown'] as const, default: 'text' as const, describe: 'markdown: a PR-comment body' })
      .option('output', { type: 'string', describe: 'Write to this file instead of standard output' }),
  handler: async (args) => {
    const { diffAgainst, formatDiff } = await import('../../diff.js');
    const report = await diffAgainst(repoRoot(), args.base);
    const text = formatDiff(report, args.format);
    if (args.format === 'text') {
      for (const o of report.selection.overlays) process.stderr.write(`chose ${o.name}: ${summarizeReasons(o.reasons)}\n`);
      for (const name of report.selection.removed) process.stderr.write(`chose ${name}: removed in the working tree\n`);
    }
    if (args.output) writeFileSync(args.output, text);
    else process.stdout.write(text);
  },
};
