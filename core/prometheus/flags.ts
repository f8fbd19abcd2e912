import alertmanagerReference from '../reference/alertmanager-flags-by-version.json' with { type: 'json' };
import prometheusReference from '../reference/prometheus-flags-by-version.json' with { type: 'json' };
import { compareVersions, parseVersion } from '../thanos/flags.js';
import { parseBase2Bytes } from '../units/base2-bytes.js';
import {
  DECIMAL,
  inGoHours,
  isGoDurationSyntax,
  isModelDurationSyntax,
  MAX_GO_DURATION,
  MAX_MODEL_DURATION,
  type GoDurationParser,
  parseGoDuration,
  parseModelDuration,
} from '../units/duration.js';
import { kingpinNumberProblem } from '../units/go-number.js';

/**
 * The command line of Prometheus and Alertmanager per release, read from each release's source by
 * scripts/read-prometheus-flags.mjs (core/reference/README.md): every flag with its kingpin type, and
 * the parser kingpin's `.Duration()` goes through. Both programs parse with kingpin, which stops the
 * process with exit code 2 on a flag or value it refuses (prometheus cmd/prometheus/main.go a.Parse,
 * alertmanager kingpin.Parse), so every problem here is a process that never starts.
 */
export type Program = 'prometheus' | 'alertmanager';

type Range = [string, string];
type ValueType =
  | 'boolean'
  | 'string'
  | 'duration'
  | 'model-duration'
  | 'bytes'
  | 'int'
  | 'integer'
  | 'unsigned'
  | 'float'
  | { readonly enum: readonly string[]; readonly caseInsensitive?: boolean };
interface FlagRun {
  readonly releases: Range;
  readonly type: ValueType;
  readonly hidden?: boolean;
  readonly repeatable?: boolean;
  readonly mode?: 'server' | 'agent';
}
interface Reference {
  readonly releases: string[];
  readonly modules: Record<
    string,
    { readonly modules: Record<string, string>; readonly duration: string; readonly features?: readonly string[] }
  >;
  readonly flags: Record<string, FlagRun[]>;
}
const REFERENCES: Record<Program, Reference> = {
  prometheus: prometheusReference as unknown as Reference,
  alertmanager: alertmanagerReference as unknown as Reference,
};

/**
 * What replaces a flag Prometheus v3.0 removed (read at v2.55.1 cmd/prometheus/main.go: :379
 * `--storage.tsdb.retention` deprecated for `.retention.time`, :393 `--storage.tsdb.allow-overlapping-blocks`
 * and :476 `--alertmanager.timeout` already without effect; `--scrape.name-escaping-scheme` became the
 * `metric_name_escaping_scheme` config field in v3.0).
 */
const REMOVED_IN_V3: Record<string, string> = {
  '--storage.tsdb.retention': 'write --storage.tsdb.retention.time',
  '--storage.tsdb.allow-overlapping-blocks': 'remove it (overlapping blocks are always allowed since v2.39)',
  '--alertmanager.timeout': 'remove it (it had no effect since v2.x; the timeout is `timeout` of each alertmanagers entry in the config)',
  '--scrape.name-escaping-scheme': 'remove it and set global.metric_name_escaping_scheme in the config file',
};

/** The minor a message names: v0.32.1 -> v0.32 (text that is no version stays as it is). */
export function minorOf(release: string): string {
  return release.replace(/^(v\d+\.\d+)\..*$/, '$1');
}

function minorKey(v: readonly number[]): number {
  return v[0] * 1000 + v[1];
}

export type ProgramRelease = { readonly state: 'known' | 'newer'; readonly release: string } | { readonly state: 'older' | 'unknown' };

/**
 * The reference release a version of `program` falls under: its minor release (flags change in minor
 * releases), the newest for a newer minor; an older minor, or text that is no version, has none here
 * (Prometheus v2 before v2.55, Alertmanager before v0.25: not judged).
 */
export function programRelease(program: Program, version: string): ProgramRelease {
  const v = parseVersion(version);
  if (!v) return { state: 'unknown' };
  const releases = REFERENCES[program].releases;
  const keys = releases.map((r) => minorKey(parseVersion(r)!));
  const key = minorKey(v);
  const i = keys.indexOf(key);
  if (i >= 0) return { state: 'known', release: releases[i] };
  if (key > keys[keys.length - 1]) return { state: 'newer', release: releases[releases.length - 1] };
  return { state: 'older' };
}

function runOf(program: Program, flag: string, release: string): FlagRun | undefined {
  const { releases, flags } = REFERENCES[program];
  const i = releases.indexOf(release);
  return flags[flag]?.find(({ releases: [from, to] }) => releases.indexOf(from) <= i && i <= releases.indexOf(to));
}

/** Whether `flag` is a kingpin Bool of `program` in some release (so `--name value` takes no value). */
export function isProgramBoolean(program: Program, flag: string): boolean {
  return REFERENCES[program].flags[flag]?.some((r) => r.type === 'boolean') ?? false;
}

/**
 * The syntax of alecthomas/units ParseBase2Bytes: a unit is required (B, KiB..EiB or KB..EB, both powers of
 * 1024); bare 0 passes. Whether the size fits: core/units/base2-bytes.ts.
 */
const BYTES = new RegExp(`^[-+]?(0|(${DECIMAL}(B|KiB|MiB|GiB|TiB|PiB|EiB))+|(${DECIMAL}(B|KB|MB|GB|TB|PB|EB))+)$`);

function bytesHint(value: string): string {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgGtTpPeE]?)(i?)([bB]?)$/.exec(value);
  if (!m) return 'e.g. 512MB or 2GiB';
  if (!m[2]) return `${m[1]}B (bytes), or a size such as 512MB`;
  return `${m[1]}${m[2].toUpperCase()}${m[3] ? 'iB' : 'B'} (KB, MB, GB are powers of 1024 like KiB, MiB, GiB)`;
}

/** Why kingpin at `release` refuses `value` for `flag` (the flag exists), or undefined. */
export function programValueProblem(program: Program, flag: string, value: string, release: string): string | undefined {
  if (value.includes('$(')) return undefined; // a per-pod value Kubernetes fills in: not knowable here
  const type = runOf(program, flag, release)?.type;
  const at = `${flag}=${value}`;
  switch (type) {
    case 'duration': {
      // kingpin v2.3.2 and v2.4.0 values.go:141-145 str2duration (d and w), kingpin.v2 v2.2.6 time.ParseDuration.
      const parser = REFERENCES[program].modules[release]?.duration as GoDurationParser | undefined;
      if (!parser || parseGoDuration(value, parser) !== undefined) return undefined;
      if (isGoDurationSyntax(value, parser))
        return `${at} is longer than a Go duration holds (at most ${MAX_GO_DURATION}, about 292 years); write a shorter one`;
      if (parser === 'str2duration')
        return `${at} is not a duration kingpin reads (units ns, us, ms, s, m, h, d, w; ${/\dy/.test(value) ? 'no years: write 365d for 1y' : 'e.g. 90s, 1h30m, 5d'})`;
      const days = /\d[dwy]\b|\d[dwy]\d/.test(value);
      return `${at} is not a Go duration, which ${minorOf(release)} parses its duration flags as (units ns, us, ms, s, m, h; ${days ? `no days or weeks: write ${inGoHours(value) ?? '24h for 1d'}` : 'e.g. 90s, 1h30m'})`;
    }
    case 'model-duration':
      if (parseModelDuration(value) !== undefined) return undefined;
      return isModelDurationSyntax(value)
        ? `${at} is longer than a Prometheus duration holds (model.ParseDuration: at most ${MAX_MODEL_DURATION}, about 292 years); write a shorter one`
        : `${at} is not a Prometheus duration (whole numbers of y, w, d, h, m, s, ms in that order, e.g. 2h, 15d or 1d12h)`;
    case 'bytes':
      if (parseBase2Bytes(value) !== undefined) return undefined;
      return BYTES.test(value)
        ? `${at} is more than a byte size holds (units.ParseBase2Bytes: at most 8EiB, 2^63 bytes); write a smaller size`
        : `${at} is not a byte size (units.ParseBase2Bytes: a unit B, KB..EB or KiB..EiB is required, case-sensitive); write ${bytesHint(value)}`;
    case 'int':
    case 'float':
    case 'integer':
    case 'unsigned': {
      const problem = kingpinNumberProblem(type, value);
      return problem && `${at} ${problem}`;
    }
    case 'boolean':
    case 'string':
    case undefined:
      return undefined;
    default: {
      const ok = type.caseInsensitive ? type.enum.includes(value.toLowerCase()) : type.enum.includes(value);
      if (ok) return undefined;
      const lower = type.enum.includes(value.toLowerCase())
        ? ` (${minorOf(release)} compares case-sensitively: write ${value.toLowerCase()})`
        : '';
      return `${at} is not one of ${type.enum.join(', ')}${lower}`;
    }
  }
}

export interface ProgramFlagProblem {
  readonly flag: string;
  readonly message: string;
}

/**
 * Reads one command line (the arguments after the binary) as kingpin at `release` does and says why
 * the process stops (kingpin v2.4.0 flags.go:91-130, parser.go:184-190; the same in v2.2.6): an unknown
 * long flag, `--no-x` of a flag that is no boolean, a flag without its value, a boolean given a value
 * (`--x=false` leaves "false" as an argument, and neither program takes arguments: "unexpected false"),
 * a value its type refuses, a flag that does not accumulate given twice ("cannot be repeated"), a
 * single-dash flag (`-config.file`, read as short flags) or a stray argument.
 */
export function checkProgramArgs(program: Program, args: readonly string[], release: string, version = release): ProgramFlagProblem[] {
  const out: ProgramFlagProblem[] = [];
  const exits = `${program} ${minorOf(version)} exits at start`;
  const counts = new Map<string, number>();
  const features: string[] = [];
  /** The value of each valued flag kingpin took (the last, for a flag given twice). */
  const values = new Map<string, string>();
  const reported = new Set<string>();
  const once = (flag: string, message: string) => {
    const key = `${flag}|${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    out.push({ flag, message });
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      for (const rest of args.slice(i + 1))
        once(rest, `${exits}: argument '${rest}' after -- is an argument, and ${program} takes none ("unexpected ${rest}")`);
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg === '-h') continue;
      if (/^-[^-]/.test(arg)) {
        const long = `-${arg.split('=')[0]}`;
        once(
          arg,
          `${exits}: ${arg} is a single-dash flag, which kingpin reads as the short flag -${arg[1]} (it has none: "unknown short flag '-${arg[1]}'"); write ${long}${arg.includes('=') ? `=${arg.slice(arg.indexOf('=') + 1)}` : ''}`,
        );
      } else {
        once(
          arg,
          `${exits}: argument '${arg}' is neither a flag nor a flag's value, and ${program} takes no arguments ("unexpected ${arg}")${/\s/.test(arg) ? '; a flag and its value in one list item are one word to kingpin: split them or write --name=value' : ''}`,
        );
      }
      continue;
    }
    const eq = arg.indexOf('=');
    const written = eq >= 0 ? arg.slice(0, eq) : arg;
    let name = written;
    let run = runOf(program, name, release);
    if (!run && name.startsWith('--no-')) {
      const positive = `--${name.slice(5)}`;
      const positiveRun = runOf(program, positive, release);
      if (positiveRun) {
        if (positiveRun.type !== 'boolean') {
          once(
            written,
            `${exits}: unknown long flag '${written}' (${positive} takes a value, so it has no --no- form); write ${positive}=<value>`,
          );
          if (eq < 0 && args[i + 1] !== undefined && !args[i + 1].startsWith('-')) i++;
          continue;
        }
        name = positive;
        run = positiveRun;
      }
    }
    if (!run && /\s/.test(written)) {
      const [flag, ...rest] = written.split(/\s+/);
      once(
        written,
        `${exits}: argument '${written}' holds a flag and its value in one list item, so kingpin looks for a flag named '${written}' ("unknown long flag"); write ${flag}=${rest.join(' ')}`,
      );
      continue;
    }
    if (!run) {
      once(written, `${exits}: ${absence(program, name, release)}`);
      // Whatever followed as its value would be reported again as a stray argument: skip it.
      if (eq < 0 && args[i + 1] !== undefined && !args[i + 1].startsWith('-') && !isProgramBoolean(program, name)) i++;
      continue;
    }
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (run.type === 'boolean') {
      if (eq >= 0) {
        const value = arg.slice(eq + 1);
        const positive = name;
        once(
          written,
          `${exits}: ${arg} gives a boolean flag a value, which kingpin does not take (it sets the flag and then stops on "unexpected ${value}"); write ${positive} to turn it on or --no-${positive.slice(2)} to turn it off, without =`,
        );
      }
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('-')) {
        once(written, `${exits}: ${written} needs a value ("expected argument for flag '${written}'"); write ${written}=<value>`);
        continue;
      }
      value = next;
      i++;
    }
    const problem = programValueProblem(program, name, value, release);
    if (problem) once(name, `${exits}: ${problem}`);
    else values.set(name, value);
    if (name === '--enable-feature') features.push(value);
  }
  const ratio = memlimitRatioProblem(program, values.get('--auto-gomemlimit.ratio'), features);
  if (ratio) out.push({ flag: '--auto-gomemlimit.ratio', message: `${exits}: ${ratio}` });
  // A repeated single-value --enable-feature (Alertmanager) stops kingpin first (below): its values are never read.
  if (features.length <= 1 || runOf(program, '--enable-feature', release)?.repeatable)
    for (const message of featureProblems(program, features, release))
      out.push({ flag: '--enable-feature', message: `${exits}: ${message}` });
  for (const [name, count] of counts) {
    const run = runOf(program, name, release);
    if (count > 1 && run && !run.repeatable && run.type !== 'boolean') {
      out.push({
        flag: name,
        message: `${exits}: ${name} is given ${count} times and takes one value ("flag '${name.slice(2)}' cannot be repeated"); keep one${name === '--enable-feature' ? ' and separate the features with commas' : ''}`,
      });
    }
  }
  return out;
}

/**
 * The range main checks after parsing --auto-gomemlimit.ratio (a kingpin Float): Prometheus always
 * (cmd/prometheus/main.go:542-545 at v2.55.1, :704-707 at v3.13.2, exit 1), Alertmanager only with
 * --enable-feature=auto-gomemlimit (cmd/alertmanager/main.go:201-205 at v0.28.0, :205-209 at v0.32.1, exit 1).
 */
function memlimitRatioProblem(program: Program, value: string | undefined, features: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  if (program === 'alertmanager' && !features.some((f) => f.split(',').includes('auto-gomemlimit'))) return undefined;
  const ratio = Number(value);
  if (Number.isNaN(ratio) || (ratio > 0 && ratio <= 1)) return undefined;
  return `--auto-gomemlimit.ratio=${value} is not above 0 and at most 1 ("--auto-gomemlimit.ratio must be greater than 0 and less than or equal to 1.", exit 1); write a fraction of the memory limit such as 0.9 (the default)`;
}

/** Why `flag` is not a flag of `program` at `release`: added later, removed earlier, or never one. */
function absence(program: Program, flag: string, release: string): string {
  const { releases, flags } = REFERENCES[program];
  const runs = flags[flag];
  const unknown = `unknown long flag '${flag}'`;
  if (!runs) {
    const near = Object.keys(flags).find((f) => f.replace(/[-_.]/g, '') === flag.replace(/[-_.]/g, ''));
    return `${unknown} (no ${program} release from ${minorOf(releases[program === 'prometheus' ? 1 : 0])} to ${minorOf(releases[releases.length - 1])} has it)${near ? `; write ${near}` : '; remove it'}`;
  }
  const i = releases.indexOf(release);
  const first = releases.indexOf(runs[0].releases[0]);
  const last = releases.indexOf(runs[runs.length - 1].releases[1]);
  if (first > i)
    return `${unknown}: it first appears in ${minorOf(releases[first])}; remove it or run ${minorOf(releases[first])} or later`;
  const replacement = REMOVED_IN_V3[flag];
  return `${unknown}: ${minorOf(releases[last + 1] ?? release)} removed it (${releases[last]} was the last with it); ${replacement ?? 'remove it'}`;
}

/** The flags of `program` the reference knows at `release` (for tests and docs). */
export function programFlags(program: Program, release: string): string[] {
  return Object.keys(REFERENCES[program].flags).filter((f) => runOf(program, f, release));
}

/** The releases the reference holds for `program`. */
export function programReleases(program: Program): readonly string[] {
  return REFERENCES[program].releases;
}

/**
 * The two OTLP delta features Prometheus refuses together, from v3.4 (setFeatureListOptions returns the
 * error, main exits 1: cmd/prometheus/main.go:299 at v3.4.2, :350-352 and :670-672 at v3.13.2; v3.3 has
 * no otlp-native-delta-ingestion, so there it is an unknown feature, only logged).
 */
const OTLP_DELTA_CONFLICT_FROM = 'v3.4.0';

/**
 * Alertmanager's --enable-feature: NewFlags splits the value on commas (no trimming) and exits on a name
 * it does not switch over, or on classic-mode with utf8-strict-mode (featurecontrol/featurecontrol.go:121-161
 * at v0.32.1, cmd/alertmanager/main.go:198-202). Prometheus only logs an unknown feature
 * (cmd/prometheus/main.go:345-346 at v3.13.2), but exits on the OTLP delta pair (above).
 */
function featureProblems(program: Program, values: readonly string[], release: string): string[] {
  if (program === 'prometheus') {
    // Repeatable (StringsVar, main.go:639-640), each value split on commas (main.go:233).
    const all = new Set(values.flatMap((v) => v.split(',')));
    return compareVersions(release, OTLP_DELTA_CONFLICT_FROM) >= 0 &&
      all.has('otlp-deltatocumulative') &&
      all.has('otlp-native-delta-ingestion')
      ? [
          '--enable-feature has otlp-deltatocumulative and otlp-native-delta-ingestion ("Error parsing feature list: cannot enable otlp-deltatocumulative and otlp-native-delta-ingestion features at the same time", exit 1); keep one: otlp-deltatocumulative converts OTLP deltas to cumulative, otlp-native-delta-ingestion stores them as they come',
        ]
      : [];
  }
  const known = REFERENCES[program].modules[release]?.features;
  if (!known) return [];
  const out: string[] = [];
  const all = values.flatMap((v) => (v === '' ? [] : v.split(',')));
  for (const feature of new Set(all)) {
    if (known.includes(feature)) continue;
    const trimmed = feature.trim();
    const hint = known.includes(trimmed) ? `write it without spaces around the comma (${trimmed})` : `it takes ${known.join(', ')}`;
    out.push(`--enable-feature: unknown option '${feature}' ("error parsing the feature flag list"); ${hint}`);
  }
  if (all.includes('classic-mode') && all.includes('utf8-strict-mode'))
    out.push('--enable-feature has classic-mode and utf8-strict-mode ("cannot have both classic and UTF-8 modes enabled"); keep one');
  return out;
}
