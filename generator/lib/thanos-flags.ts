import flags from '../reference/thanos-flags-v0.42.4.json' with { type: 'json' };
import extra from '../reference/thanos-flags-extra-v0.42.4.json' with { type: 'json' };

export const THANOS_FLAGS_VERSION = flags.version;
export type ThanosSubcommand = keyof typeof flags.components;
export const THANOS_SUBCOMMANDS = Object.keys(flags.components) as ThanosSubcommand[];

export interface FlagProblem {
  readonly flag: string;
  readonly level: 'error' | 'warning';
  readonly message: string;
}

const known = new Map<string, Set<string>>();
function knownFlags(subcommand: ThanosSubcommand): Set<string> {
  let set = known.get(subcommand);
  if (!set) {
    const hidden = (extra.hidden_flags as Record<string, string[]>)[subcommand] ?? [];
    set = new Set([...flags.components[subcommand], ...hidden]);
    known.set(subcommand, set);
  }
  return set;
}

export function isThanosSubcommand(value: string): value is ThanosSubcommand {
  return (THANOS_SUBCOMMANDS as string[]).includes(value);
}

/** The flag names in an argument list: "--a=b" and "--a b" both give "--a"; values are skipped. */
export function flagNames(args: readonly string[]): string[] {
  const names: string[] = [];
  for (const arg of args) {
    if (!arg.startsWith('--')) continue;
    names.push(arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg);
  }
  return names;
}

/** Checks every flag of one Thanos subcommand against the pinned version's flag lists. */
export function checkThanosFlags(subcommand: ThanosSubcommand, args: readonly string[]): FlagProblem[] {
  const removed = (extra.removed_flags as Record<string, Record<string, string>>)[subcommand] ?? {};
  const deprecated = new Set((extra.deprecated_flags as Record<string, string[]>)[subcommand] ?? []);
  const booleans = new Set((extra.boolean_flags as Record<string, string[]>)[subcommand] ?? []);
  const problems: FlagProblem[] = [];
  for (const name of flagNames(args)) {
    const positive = name.startsWith('--no-') && booleans.has(`--${name.slice(5)}`) ? `--${name.slice(5)}` : name;
    if (removed[positive]) {
      problems.push({ flag: name, level: 'error', message: `thanos ${subcommand} ${name} was ${removed[positive]}` });
    } else if (!knownFlags(subcommand).has(positive)) {
      problems.push({ flag: name, level: 'error', message: `thanos ${subcommand} has no flag ${name} in ${THANOS_FLAGS_VERSION}` });
    } else if (deprecated.has(positive)) {
      problems.push({ flag: name, level: 'warning', message: `thanos ${subcommand} ${name} is deprecated in ${THANOS_FLAGS_VERSION}` });
    }
  }
  return problems;
}
