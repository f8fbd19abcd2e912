import { writeFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';

/** One report format and where it goes (undefined: standard output). */
export interface FormatOutput<F extends string> {
  readonly format: F;
  readonly output?: string;
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : ([] as string[]).concat(value).map(String));

/**
 * Pairs repeatable --format and --output by position, so one run (one render) writes every format a
 * workflow needs: `--format sarif --output a.sarif --format markdown --output a.md --format github`.
 * Every format has its --output, except that the last may go to standard output.
 */
export function formatOutputs<F extends string>(
  command: string,
  formats: F | F[] | undefined,
  outputs: string | string[] | undefined,
  fallback: F,
): FormatOutput<F>[] {
  const f = list(formats) as F[];
  const o = list(outputs);
  if (f.length === 0) f.push(fallback);
  if (o.length !== f.length && o.length !== f.length - 1) {
    throw new UserError(
      `${command}: ${f.length} --format and ${o.length} --output given; give one --output after each --format (only the last --format may go to standard output).`,
    );
  }
  if (new Set(o).size !== o.length) throw new UserError(`${command}: the same --output is given twice; give each format its own file.`);
  return f.map((format, i) => ({ format, ...(o[i] !== undefined ? { output: o[i] } : {}) }));
}

/** Writes one report: to its file, or standard output. */
export function writeReport(command: string, target: FormatOutput<string>, text: string): void {
  if (target.output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(target.output, text);
  } catch (error) {
    throw new UserError(`${command} --output: cannot write '${target.output}': ${(error as Error).message}`);
  }
}
