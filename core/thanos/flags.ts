import byVersion from '../reference/thanos-flags-by-version.json' with { type: 'json' };
import semantics from '../reference/thanos-flags-semantics-v0.42.4.json' with { type: 'json' };

/**
 * Thanos flags per release, from the by-version reference (every minor release v0.20-v0.42, its
 * latest patch, hidden flags included). A container is checked against the release its image runs;
 * the generator against the pinned one.
 */
// The release to check against is always named by the caller: the kernel does not know the pins (settings/versions.ts).
export const THANOS_RELEASES: readonly string[] = byVersion.releases;
export type ThanosSubcommand = keyof typeof byVersion.components;
export const THANOS_SUBCOMMANDS = Object.keys(byVersion.components) as ThanosSubcommand[];

type Range = [string, string];
interface FlagEntry {
  readonly present: Range[];
  readonly hidden?: Range[];
  readonly boolean?: boolean;
}
const COMPONENTS = byVersion.components as unknown as Record<ThanosSubcommand, Record<string, FlagEntry>>;
const DEPRECATED = semantics.deprecated as Record<string, Record<string, string>>;
const REMOVED_REPLACEMENT = semantics.removedReplacement as Record<string, Record<string, string>>;
const REPEATABLE = new Set(semantics.repeatable);
/** Hidden flags of the thanos app itself (--debug.name): every command takes them. */
const APP_HIDDEN = new Set(semantics.appHidden);
/** Flags that take one of a fixed set of values (kingpin Enum): anything else stops the process. */
export const FLAG_ENUMS = semantics.enums as Record<string, string[]>;
/** The value type of a flag in v0.42 (per command, else shared by every command), where kingpin parses it. */
const VALUE_TYPES = semantics.valueTypes as Record<string, Record<string, 'go-duration' | 'model-duration' | 'integer'>>;

/** Go's time.ParseDuration: decimal numbers with ns/us/ms/s/m/h units, no days. */
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;
/** Prometheus' model.ParseDuration: whole numbers of y, w, d, h, m, s, ms in that order. */
const MODEL_DURATION = /^(0|(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;
/** strconv.ParseInt with base 0, as kingpin reads integers (decimal, 0x, 0o, 0b, underscores). */
const INTEGER = /^[-+]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]*|0[bB][01_]+|[1-9][0-9_]*)$/;

/**
 * Why kingpin refuses `value` for `flag` of a v0.42 `subcommand` (the process exits), or undefined.
 * A Go duration takes no d, w or y (`--eval-interval=1d`); a model duration takes no fraction.
 */
export function flagValueProblem(subcommand: string, flag: string, value: string, release: string): string | undefined {
  if (!release.startsWith('v0.42.') || value.includes('$(')) return undefined;
  const type = VALUE_TYPES[subcommand]?.[flag] ?? VALUE_TYPES.shared?.[flag];
  if (type === 'go-duration' && !GO_DURATION.test(value)) {
    return `${flag}=${value} is not a Go duration (units ns, us, ms, s, m, h; ${/\d[dwy]\b|\d[dwy]\d/.test(value) ? 'no days, weeks or years: write 24h for 1d' : 'e.g. 90s, 1h30m'}); thanos ${subcommand} exits at start`;
  }
  if (type === 'model-duration' && (value === '' || !MODEL_DURATION.test(value))) {
    return `${flag}=${value} is not a duration (whole numbers of y, w, d, h, m, s, ms in that order, e.g. 2h or 1d12h); thanos ${subcommand} exits at start`;
  }
  if (type === 'integer' && !INTEGER.test(value)) return `${flag}=${value} is not an integer; thanos ${subcommand} exits at start`;
  return undefined;
}

export interface FlagProblem {
  readonly flag: string;
  readonly level: 'error' | 'warning';
  readonly message: string;
}

export function isThanosSubcommand(value: string): value is ThanosSubcommand {
  return (THANOS_SUBCOMMANDS as string[]).includes(value);
}

/** [major, minor, patch] of "v0.39.2", "0.36.1-debian-12-r3", "v0.42"; undefined when it is no version. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function minorKey(v: readonly number[]): number {
  return v[0] * 1000 + v[1];
}

export type ReleaseMatch =
  | { readonly state: 'known'; readonly release: string }
  | { readonly state: 'newer' | 'older'; readonly release: string }
  | { readonly state: 'unknown' };

/**
 * The reference entry a version falls under: its minor release (a v0.39.0 image has v0.39.2's
 * flags: Thanos adds or removes flags in minor releases only). Newer than the newest entry maps to
 * the newest, older than the oldest to the oldest, each said as such.
 */
export function releaseFor(version: string): ReleaseMatch {
  const v = parseVersion(version);
  if (!v) return { state: 'unknown' };
  const key = minorKey(v);
  const keys = THANOS_RELEASES.map((r) => minorKey(parseVersion(r)!));
  const i = keys.indexOf(key);
  if (i >= 0) return { state: 'known', release: THANOS_RELEASES[i] };
  if (key > keys[keys.length - 1]) return { state: 'newer', release: THANOS_RELEASES[THANOS_RELEASES.length - 1] };
  if (key < keys[0]) return { state: 'older', release: THANOS_RELEASES[0] };
  return { state: 'unknown' };
}

function releaseIndex(release: string): number {
  return THANOS_RELEASES.indexOf(release);
}

function inRanges(ranges: readonly Range[] | undefined, i: number): boolean {
  return (ranges ?? []).some(([from, to]) => releaseIndex(from) <= i && i <= releaseIndex(to));
}

/** The positive name of a flag: `--no-x` is `--x` when `--x` is a boolean in some release. */
function positiveName(subcommand: ThanosSubcommand, name: string): string {
  if (!name.startsWith('--no-')) return name;
  const positive = `--${name.slice(5)}`;
  return COMPONENTS[subcommand][positive]?.boolean ? positive : name;
}

/** Whether `--name` takes no value in this subcommand (a boolean in any release). */
export function isBooleanFlag(subcommand: string | undefined, name: string): boolean {
  if (!subcommand || !isThanosSubcommand(subcommand)) return false;
  return COMPONENTS[subcommand][name]?.boolean === true;
}

/** Whether `subcommand` at `release` accepts `name` (hidden flags included). */
export function hasFlag(subcommand: ThanosSubcommand, name: string, release: string): boolean {
  if (APP_HIDDEN.has(name)) return true;
  const entry = COMPONENTS[subcommand][positiveName(subcommand, name)];
  return !!entry && inRanges(entry.present, releaseIndex(release));
}

function minor(release: string): string {
  return release.replace(/^(v\d+\.\d+)\..*$/, '$1');
}

/** Why a flag is not in `release`: added later, removed earlier (with what replaces it), or never a flag. */
function absence(subcommand: ThanosSubcommand, name: string, release: string): string {
  const positive = positiveName(subcommand, name);
  const entry = COMPONENTS[subcommand][positive];
  const i = releaseIndex(release);
  if (!entry)
    return `thanos ${subcommand} has no flag ${name} (in no release from ${minor(THANOS_RELEASES[0])} to ${minor(THANOS_RELEASES[THANOS_RELEASES.length - 1])}); the process refuses to start`;
  const starts = entry.present.map(([from]) => releaseIndex(from));
  const ends = entry.present.map(([, to]) => releaseIndex(to));
  const lastBefore = Math.max(-1, ...ends.filter((e) => e < i));
  const firstAfter = Math.min(Infinity, ...starts.filter((s) => s > i));
  const replacement = REMOVED_REPLACEMENT[subcommand]?.[positive];
  const use = replacement ? `; use ${replacement}` : '';
  if (lastBefore >= 0) {
    return `thanos ${subcommand} ${name} was removed in ${minor(THANOS_RELEASES[lastBefore + 1])} (last in ${THANOS_RELEASES[lastBefore]}), so ${minor(release)} refuses to start with it${use}`;
  }
  return `thanos ${subcommand} ${name} first appears in ${minor(THANOS_RELEASES[firstAfter])}; ${minor(release)} refuses to start with it`;
}

/**
 * Checks the flag names of one Thanos command line (in order, repeats included) against one release:
 * unknown or removed flags and a repeated flag that cannot repeat are errors (kingpin refuses to
 * start); a flag v0.42 deprecates is a warning naming its replacement.
 */
export function checkThanosFlags(subcommand: ThanosSubcommand, names: readonly string[], release: string): FlagProblem[] {
  const problems: FlagProblem[] = [];
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  for (const name of names) {
    const positive = positiveName(subcommand, name);
    counts.set(positive, (counts.get(positive) ?? 0) + 1);
    if (seen.has(name)) continue;
    seen.add(name);
    if (!hasFlag(subcommand, name, release)) {
      problems.push({ flag: name, level: 'error', message: absence(subcommand, name, release) });
      continue;
    }
    const replacement = minor(release) === 'v0.42' ? DEPRECATED[subcommand]?.[positive] : undefined;
    if (replacement)
      problems.push({ flag: name, level: 'warning', message: `thanos ${subcommand} ${name} is deprecated in v0.42; use ${replacement}` });
  }
  for (const [name, count] of counts) {
    if (count > 1 && !REPEATABLE.has(name) && hasFlag(subcommand, name, release)) {
      problems.push({
        flag: name,
        level: 'error',
        message: `thanos ${subcommand} ${name} is given ${count} times; it takes one value and the process refuses to start ("flag cannot be repeated")`,
      });
    }
  }
  return problems;
}

const DEPRECATED_FEATURES = semantics.deprecatedFeatures as Record<string, Record<string, string>>;

/** `--enable-feature` values a v0.42 command ignores or no longer needs (it logs a warning at start). */
export function deprecatedFeatures(subcommand: string, values: readonly string[], release: string): string[] {
  if (!release.startsWith('v0.42.')) return [];
  const known = DEPRECATED_FEATURES[subcommand] ?? {};
  const features = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  return [...new Set(features)].filter((f) => known[f]).map((f) => `thanos ${subcommand} --enable-feature=${f}: ${known[f]}`);
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
