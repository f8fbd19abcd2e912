import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError } from '../lib/errors.js';
import { commands } from './commands/index.js';

/**
 * Runs the CLI on `argv` and returns the exit code: 0 done, 1 a check found problems,
 * 2 bad usage or bad input (the message says what, where and what to do).
 */
export async function runCli(argv: string[]): Promise<number> {
  let usageError: string | undefined;
  const cli = yargs(argv)
    .scriptName('npm run')
    .strict()
    .demandCommand(1, 'Name a command: generate, render, new-overlay, check or diff.')
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      usageError = message;
    });
  for (const command of commands) cli.command(command as never);
  try {
    await cli.parseAsync();
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`error: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
  if (usageError) {
    console.error(`error: ${usageError}\nRun with --help for the options.`);
    return 2;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').slice(-3).join('/'));
if (isMain) {
  runCli(hideBin(process.argv)).then(
    (code) => {
      // npm run bench asks each run for its peak memory.
      if (process.env.THANOS_HA_RUSAGE_FILE) {
        writeFileSync(process.env.THANOS_HA_RUSAGE_FILE, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
      }
      process.exit(code);
    },
    (error) => {
      console.error(error);
      process.exit(70);
    },
  );
}
