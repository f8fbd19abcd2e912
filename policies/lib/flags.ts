import { isBooleanFlag } from '../../core/thanos/flags.js';

/**
 * The flags of one command line. Both spellings kingpin (Thanos, Prometheus) accepts are read:
 * `--name=value` and `--name value`; a bare `--name` is a boolean (value "true"), `--no-name` is "false".
 * A `--name value` pair is only taken when the next argument is not itself a flag and the name is not
 * a known boolean of the subcommand.
 */
export class Flags {
  private readonly map = new Map<string, string[]>();
  /** Flag names in the order given, repeated ones included. */
  readonly names: string[] = [];
  /** Arguments that are neither flags nor their values. */
  readonly positionals: string[] = [];
  /** The flags written `--name=value`, in order: a boolean given a value stops kingpin. */
  readonly assigned: { readonly name: string; readonly value: string }[] = [];

  constructor(args: readonly string[], subcommand?: string) {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (typeof arg !== 'string') continue;
      if (!arg.startsWith('--') || arg === '--') {
        this.positionals.push(arg);
        continue;
      }
      const eq = arg.indexOf('=');
      let name: string;
      let value: string;
      if (eq >= 0) {
        name = arg.slice(0, eq);
        value = arg.slice(eq + 1);
        this.assigned.push({ name, value });
      } else {
        name = arg;
        const next = args[i + 1];
        if (!isBooleanFlag(subcommand, name) && !name.startsWith('--no-') && typeof next === 'string' && !next.startsWith('-')) {
          value = next;
          i++;
        } else {
          value = name.startsWith('--no-') && isBooleanFlag(subcommand, `--${name.slice(5)}`) ? 'false' : 'true';
        }
      }
      this.names.push(name);
      const list = this.map.get(name) ?? [];
      list.push(value);
      this.map.set(name, list);
    }
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  /** Every value given for a repeatable flag. */
  values(name: string): string[] {
    return this.map.get(name) ?? [];
  }

  /** The last value given (kingpin keeps the last of a non-repeatable flag). */
  get(name: string): string | undefined {
    const list = this.map.get(name);
    return list ? list[list.length - 1] : undefined;
  }
}
