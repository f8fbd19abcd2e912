import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError } from '../core/errors.js';
import { commands } from './commands/index.js';
import type { WriteHooks } from '../generator/write/writer.js';

/** What a run takes besides its arguments; only tests give any. */
export interface CliOptions {
  /** Passed to the writer of generate, new-overlay and remove-overlay: a test fails a write halfway to see it rolled back. */
  readonly writeHooks?: WriteHooks;
}

/**
 * Runs the CLI on `argv` and returns the exit code: 0 done, 1 a check found problems,
 * 2 bad usage or bad input (the message says what, where and what to do).
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  // Commands report "found problems" through process.exitCode; start clean so runs in one process (tests) do not leak.
  process.exitCode = undefined;
  const cli = yargs(argv)
    .scriptName('npm run')
    .strict()
    .demandCommand(1, 'Name a command: generate, render, new-overlay, remove-overlay, check, diff or upgrade.')
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      // Throwing stops yargs here; returning would let it go on to run the command's handler.
      throw new UserError(`${message}\nRun with --help for the options.`);
    });
  for (const command of commands(options.writeHooks)) cli.command(command as never);
  skipHelpCaching(cli);
  try {
    await cli.parseAsync();
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`error: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return code;
}

/**
 * yargs writes out the whole help text after every command it runs (cacheHelpMessage), to print it
 * should the command then fail. `.fail()` above prints a message without the help, so that text is
 * never read, and laying it out is tens of milliseconds of a one-overlay check. `--help` still
 * writes it. Reached through yargs' internal methods; if a yargs release has none, nothing changes.
 */
function skipHelpCaching(cli: unknown): void {
  type Internal = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (cli as Internal).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/**
 * Resolves once everything written to `stream` so far has left the process. On a pipe, Node writes
 * asynchronously: `process.exit` right after a large write would cut the report short (at 64 KiB,
 * the pipe's buffer) with the exit code unchanged. Write callbacks run in order, so an empty write's
 * callback means every earlier write is done.
 */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}

async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Runs the CLI as a process: the exit code once every report has left through stdout. */
export function main(argv: string[], options: CliOptions = {}): void {
  runCli(argv, options).then(
    (code) => exitAfterFlush(code),
    (error) => {
      console.error(error);
      return exitAfterFlush(70);
    },
  );
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').slice(-3).join('/'));
if (isMain) main(hideBin(process.argv));
