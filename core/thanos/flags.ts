import byVersion from '../reference/thanos-flags-by-version.json' with { type: 'json' };
import flagTypes from '../reference/thanos-flag-types-by-version.json' with { type: 'json' };
import semantics from '../reference/thanos-flags-semantics-v0.42.4.json' with { type: 'json' };
import { parseBase2Bytes } from '../units/base2-bytes.js';
import {
  DECIMAL,
  inGoHours,
  isGoDurationSyntax,
  isModelDurationSyntax,
  MAX_GO_DURATION,
  MAX_MODEL_DURATION,
  parseGoDuration,
  parseModelDuration,
} from '../units/duration.js';
import { kingpinNumberProblem } from '../units/go-number.js';

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
/**
 * int = kingpin Int (a float, truncated), integer = Int64/Int32, unsigned = Uint*: kingpin reads each
 * through a different strconv parser, the same in every kingpin Thanos builds on (core/units/go-number.ts).
 */
type ValueType =
  | 'duration'
  | 'model-duration'
  | 'time-or-duration'
  | 'int'
  | 'integer'
  | 'unsigned'
  | 'float'
  | 'bytes'
  | 'bool'
  | { readonly enum: string[] };
interface TypeRun {
  readonly type: ValueType | 'conflict';
  readonly releases: Range;
}
/**
 * The value type of each flag per release, read from each release's source (core/reference/README.md):
 * per command where cmd/thanos/<command>.go registers it, else `shared` (helpers several commands call).
 */
const VALUE_TYPES = flagTypes.flags as unknown as Record<string, Record<string, TypeRun[]>>;
/** Which parser a kingpin `.Duration()` flag goes through in each release (the kingpin module its go.mod requires). */
const KINGPIN_DURATION = flagTypes.kingpinDuration as Record<string, 'time.ParseDuration' | 'str2duration'>;

/** The value type of `flag` of `subcommand` in `release` (a reference release), undefined when kingpin takes any string. */
export function flagValueType(subcommand: string, flag: string, release: string): ValueType | undefined {
  const i = releaseIndex(release);
  for (const scope of [subcommand, 'shared']) {
    const run = VALUE_TYPES[scope]?.[flag]?.find(({ releases: [from, to] }) => releaseIndex(from) <= i && i <= releaseIndex(to));
    if (run) return run.type === 'conflict' ? undefined : run.type;
  }
  return undefined;
}

/** The values `flag` takes in `release` when kingpin declares it an Enum (`--log.level`, `--query.promql-engine`). */
export function flagEnum(subcommand: string, flag: string, release: string): readonly string[] | undefined {
  const type = flagValueType(subcommand, flag, release);
  return typeof type === 'object' ? type.enum : undefined;
}

/** RFC3339 time, or a model duration with an optional minus (pkg/model/timeduration.go:23-45). */
const TIME_OR_DURATION =
  /^(-?(0|(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))$/;
/**
 * The syntax of alecthomas/units ParseBase2Bytes (units@0f3dac36c52b bytes.go:23-37, si.go:16-25,
 * util.go:52-126): a number needs a unit, B or K/M/G/T/P/E with iB or with B (both powers of 1024), one
 * family per value; bare "0" is the one number without a unit. Whether it fits: core/units/base2-bytes.ts.
 */
const BYTES = new RegExp(`^[-+]?(0|(${DECIMAL}(B|KiB|MiB|GiB|TiB|PiB|EiB))+|(${DECIMAL}(B|KB|MB|GB|TB|PB|EB))+)$`);

/** What to write instead of a byte size kingpin refuses: `2Gi` -> `2GiB`, `2G` -> `2GB`, `1073741824` -> `1073741824B`. */
function bytesHint(value: string): string {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgGtTpPeE]?)(i?)([bB]?)$/.exec(value);
  if (!m) return 'e.g. 512MiB or 2GiB';
  if (!m[2]) return `${m[1]}B (bytes), or a size such as 512MiB`;
  return `${m[1]}${m[2].toUpperCase()}${m[3] ? 'iB' : 'B'} (KB, MB, GB are powers of 1024 like KiB, MiB, GiB)`;
}

/**
 * Why kingpin refuses `value` for `flag` of `subcommand` at `release` (the process exits at start), or
 * undefined. A `.Duration()` flag goes through time.ParseDuration up to v0.38 (gopkg.in/alecthomas/kingpin.v2)
 * and str2duration from v0.39 (github.com/alecthomas/kingpin/v2 v2.4.0): `1d` only from v0.39, `1y` never.
 * A model duration (extkingpin.ModelDuration) takes d, w and y in every release, but no fraction.
 */
export function flagValueProblem(subcommand: string, flag: string, value: string, release: string): string | undefined {
  if (value.includes('$(')) return undefined;
  const type = flagValueType(subcommand, flag, release);
  const exits = `thanos ${subcommand} ${minor(release)} exits at start`;
  if (type === 'duration') {
    const parser = KINGPIN_DURATION[release];
    if (parser && parseGoDuration(value, parser) === undefined) {
      if (isGoDurationSyntax(value, parser))
        return `${exits}: ${flag}=${value} is longer than a Go duration holds (at most ${MAX_GO_DURATION}, about 292 years); write a shorter one`;
      if (parser === 'str2duration') {
        const hint = /\dy/.test(value) ? 'no years: write 365d for 1y' : 'e.g. 90s, 1h30m, 7d, 2w';
        return `${exits}: ${flag}=${value} is not a duration kingpin reads (units ns, us, ms, s, m, h, d, w; ${hint})`;
      }
      const days = /\d[dwy]\b|\d[dwy]\d/.test(value);
      const hint = days ? `no days, weeks or years before v0.39: write ${inGoHours(value) ?? '24h for 1d'}` : 'e.g. 90s, 1h30m';
      return `${exits}: ${flag}=${value} is not a Go duration (units ns, us, ms, s, m, h; ${hint})`;
    }
  }
  if (type === 'model-duration' && parseModelDuration(value) === undefined) {
    if (isModelDurationSyntax(value))
      return `${exits}: ${flag}=${value} is longer than a duration holds (model.ParseDuration: at most ${MAX_MODEL_DURATION}, about 292 years); write a shorter one`;
    return `${exits}: ${flag}=${value} is not a duration (whole numbers of y, w, d, h, m, s, ms in that order, e.g. 2h or 1d12h)`;
  }
  if (type === 'time-or-duration') {
    // pkg/model/timeduration.go:23-45: an RFC3339 time, else a duration (its minus dropped) through model.ParseDuration.
    const duration = value.replace(/^-/, '');
    if (!TIME_OR_DURATION.test(value) || (!value.includes('T') && !isModelDurationSyntax(duration)))
      return `${exits}: ${flag}=${value} is neither an RFC3339 time nor a duration (e.g. 2024-01-01T00:00:00Z or -2w)`;
    if (!value.includes('T') && parseModelDuration(duration) === undefined)
      return `${exits}: ${flag}=${value} is longer than a duration holds (model.ParseDuration: at most ${MAX_MODEL_DURATION}, about 292 years); write a shorter one or an RFC3339 time`;
  }
  // kingpin Int parses a float and truncates it (values_generated.go:322-328 at v2.4.0 and v2.2.6): 5e7 and 1.5 start.
  const number =
    type === 'int' || type === 'float' || type === 'integer' || type === 'unsigned' ? kingpinNumberProblem(type, value) : undefined;
  if (number) return `${exits}: ${flag}=${value} ${number}`;
  if (type === 'bytes' && parseBase2Bytes(value) === undefined) {
    if (BYTES.test(value))
      return `${exits}: ${flag}=${value} is more than a byte size holds (units.ParseBase2Bytes: at most 8EiB, 2^63 bytes); write a smaller size`;
    return `${exits}: ${flag}=${value} is not a byte size kingpin reads (units.ParseBase2Bytes: a unit B, KiB..EiB or KB..EB is required, case-sensitive); write ${bytesHint(value)}`;
  }
  if (typeof type === 'object' && !type.enum.includes(value)) {
    return `${exits}: ${flag}=${value} is not one of ${type.enum.map((v) => (v === '' ? '""' : v)).join(', ')}`;
  }
  return undefined;
}

/**
 * Why a boolean flag given a value stops the process: kingpin splits `--name=value` and, for a bool
 * flag, sets it to true without taking the value (kingpin v2.4.0 flags.go:114-120, parser.go:184-190);
 * the leftover "false" is an argument no Thanos command takes ("unexpected false", parser.go:382-383).
 * Same in the older kingpin (17f40c25f497). `--no-name` is how a boolean is turned off.
 */
export function booleanValueProblem(subcommand: string, flag: string, value: string, release: string): string | undefined {
  const positive = flag.startsWith('--no-') && isBooleanFlag(subcommand, `--${flag.slice(5)}`) ? `--${flag.slice(5)}` : flag;
  if (!isBooleanFlag(subcommand, positive)) return undefined;
  return `thanos ${subcommand} ${minor(release)} exits at start: ${flag}=${value} gives a boolean flag a value, which kingpin does not take (it sets the flag and then stops on "unexpected ${value}"); write ${positive} to turn it on or --no-${positive.slice(2)} to turn it off, without =`;
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

/** Orders two versions by major, minor, patch ("v0.42.4" < "v0.43.0"); a text that is no version sorts first. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a) ?? [-1, -1, -1];
  const y = parseVersion(b) ?? [-1, -1, -1];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
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

/**
 * The reference release whose flags `version` has: its minor's entry (a pinned v0.41.1 has the
 * flags of the recorded v0.41.0), the newest or oldest entry beyond either end, the text itself
 * when it is no version. Every function here takes reference releases; a patch the reference did
 * not record would otherwise match no release and every flag would look unknown.
 */
export function referenceRelease(version: string): string {
  const match = releaseFor(version);
  return match.state === 'unknown' ? version : match.release;
}

function releaseIndex(release: string): number {
  return THANOS_RELEASES.indexOf(release);
}

function inRanges(ranges: readonly Range[] | undefined, i: number): boolean {
  return (ranges ?? []).some(([from, to]) => releaseIndex(from) <= i && i <= releaseIndex(to));
}

/** Whether a reference release falls in one of the [from, to] runs a reference file gives (inclusive). */
export function releaseInRanges(ranges: readonly (readonly [string, string])[] | undefined, release: string): boolean {
  return inRanges(ranges as Range[] | undefined, releaseIndex(release));
}

/** The positive name of a flag: `--no-x` is `--x` when `--x` is a boolean in some release. */
function positiveName(subcommand: ThanosSubcommand, name: string): string {
  if (!name.startsWith('--no-')) return name;
  const positive = `--${name.slice(5)}`;
  return isBooleanFlag(subcommand, positive) ? positive : name;
}

/**
 * Whether `--name` takes no value in this subcommand (a boolean in any release): marked in the by-version
 * lists (`--[no-]x` in --help), or read as a kingpin `.Bool()` from the source, the one record of a hidden
 * boolean such as query's `--query.dynamic-lookback-delta` (cmd/thanos/query.go:100 at v0.42.4), which
 * `--no-query.dynamic-lookback-delta` turns off (kingpin v2.4.0 flags.go:93-98).
 */
export function isBooleanFlag(subcommand: string | undefined, name: string): boolean {
  if (!subcommand || !isThanosSubcommand(subcommand)) return false;
  if (COMPONENTS[subcommand][name]?.boolean === true) return true;
  return [subcommand, 'shared'].some((scope) => VALUE_TYPES[scope]?.[name]?.some((run) => run.type === 'bool'));
}

/** Whether `subcommand` at `release` accepts `name` (hidden flags included). */
export function hasFlag(subcommand: ThanosSubcommand, name: string, release: string): boolean {
  if (APP_HIDDEN.has(name)) return true;
  const entry = COMPONENTS[subcommand][positiveName(subcommand, name)];
  return !!entry && inRanges(entry.present, releaseIndex(release));
}

/** "v0.42" of "v0.42.4": how messages name a release. */
export function minor(release: string): string {
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

/** A flag one release has and another has not, by the reference: what an upgrade (or a downgrade) changes. */
export interface FlagChange {
  readonly subcommand: ThanosSubcommand;
  readonly flag: string;
  readonly change: 'removed' | 'added';
  /** What replaces a removed flag, where the reference knows it. */
  readonly replacement?: string;
}

/**
 * The flags of every command that `from` accepts and `to` does not (removed) and the reverse
 * (added), both reference releases (THANOS_RELEASES); hidden flags count, as kingpin accepts them.
 */
export function flagChangesBetween(from: string, to: string): FlagChange[] {
  const out: FlagChange[] = [];
  for (const subcommand of THANOS_SUBCOMMANDS) {
    for (const flag of Object.keys(COMPONENTS[subcommand]).sort()) {
      const before = hasFlag(subcommand, flag, from);
      const after = hasFlag(subcommand, flag, to);
      if (before === after) continue;
      const replacement = before ? REMOVED_REPLACEMENT[subcommand]?.[flag] : undefined;
      out.push({ subcommand, flag, change: before ? 'removed' : 'added', ...(replacement ? { replacement } : {}) });
    }
  }
  return out;
}

/**
 * The flags `release` deprecates, with their replacement, where the reference knows them: the
 * semantics file is read from one release's source (v0.42), so other releases give none.
 */
export function deprecatedFlags(release: string): { subcommand: string; flag: string; replacement: string }[] {
  if (minor(release) !== minor(semantics.version)) return [];
  return Object.entries(DEPRECATED).flatMap(([subcommand, flags]) =>
    Object.entries(flags).map(([flag, replacement]) => ({ subcommand, flag, replacement })),
  );
}
