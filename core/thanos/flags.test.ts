import { describe, expect, it } from 'vitest';
import byVersion from '../reference/thanos-flags-by-version.json' with { type: 'json' };
import flagTypes from '../reference/thanos-flag-types-by-version.json' with { type: 'json' };
import {
  booleanValueProblem,
  checkThanosFlags,
  flagEnum,
  flagValueProblem,
  flagValueType,
  hasFlag,
  isThanosSubcommand,
  referenceRelease,
  THANOS_RELEASES,
} from './flags.js';

/** [subcommand, flag, value, release, refused pattern or undefined when kingpin takes it, why with the source line]. */
type Case = readonly [string, string, string, string, RegExp | undefined, string];

const cases: Case[] = [
  // kingpin .Duration(): T@v0.38.0:go.mod:100,296 (gopkg.in/alecthomas/kingpin.v2 -> kingpin 17f40c2, values.go:141
  // time.ParseDuration); T@v0.39.0:go.mod:119 (github.com/alecthomas/kingpin/v2 v2.4.0, values.go:141-145 str2duration).
  ['rule', '--eval-interval', '1d', 'v0.42.4', undefined, 'T@v0.42.4:cmd/thanos/rule.go:159 DurationVar, str2duration takes d'],
  ['rule', '--eval-interval', '1d', 'v0.39.2', undefined, 'first release on kingpin/v2 v2.4.0'],
  [
    'rule',
    '--eval-interval',
    '1d',
    'v0.38.0',
    /v0\.38 exits at start: --eval-interval=1d is not a Go duration .*write 24h for 1d/,
    'T@v0.38.0:cmd/thanos/rule.go:152, time.ParseDuration',
  ],
  ['compact', '--consistency-delay', '2w', 'v0.42.4', undefined, 'T@v0.42.4:cmd/thanos/compact.go:759, str2duration w = 168h'],
  ['compact', '--consistency-delay', '1w2d', 'v0.20.2', /write 216h for 1w2d/, 'T@v0.20.2 kingpin.v2: no weeks'],
  [
    'compact',
    '--consistency-delay',
    '1y',
    'v0.42.4',
    /not a duration kingpin reads .*no years: write 365d for 1y/,
    'str2duration v2.1.0 str2duration.go:12-23 has no y',
  ],
  ['compact', '--consistency-delay', '1.5h', 'v0.38.0', undefined, 'time.ParseDuration takes fractions'],
  ['compact', '--consistency-delay', '-30m', 'v0.42.4', undefined, 'both parsers take a sign'],
  ['compact', '--consistency-delay', '30', 'v0.42.4', /is not a duration kingpin reads/, 'a number without a unit: "missing unit"'],
  ['compact', '--consistency-delay', '0', 'v0.30.2', undefined, 'bare 0 is the one value without a unit'],
  // A flag whose declaration changed type: T@v0.31.0:pkg/extkingpin/flags.go:87 ModelDuration; T@v0.32.5:cmd/thanos/config.go:44 DurationVar.
  ['store', '--grpc-grace-period', '1d', 'v0.31.0', undefined, 'a model duration up to v0.31'],
  [
    'store',
    '--grpc-grace-period',
    '1.5m',
    'v0.31.0',
    /--grpc-grace-period=1\.5m is not a duration \(whole numbers/,
    'model durations take no fraction',
  ],
  [
    'store',
    '--grpc-grace-period',
    '1d',
    'v0.32.5',
    /v0\.32 exits at start: --grpc-grace-period=1d is not a Go duration/,
    'kingpin Duration from v0.32, still kingpin.v2',
  ],
  ['store', '--grpc-grace-period', '1.5m', 'v0.42.4', undefined, 'str2duration takes fractions'],
  // extkingpin.ModelDuration: T@v0.42.4:pkg/extkingpin/flags.go:16-21 -> prometheus/common model.ParseDuration (C@v0.67.5:model/time.go:189-259).
  ['receive', '--tsdb.retention', '1y', 'v0.20.2', undefined, 'T@v0.20.2:cmd/thanos/receive.go:70, y in every release'],
  ['receive', '--tsdb.retention', '1y', 'v0.42.4', undefined, 'T@v0.42.4:cmd/thanos/receive.go:1018'],
  ['receive', '--tsdb.retention', '1d12h', 'v0.42.4', undefined, 'units in descending order'],
  [
    'receive',
    '--tsdb.retention',
    '12h1d',
    'v0.42.4',
    /is not a duration \(whole numbers of y, w, d, h, m, s, ms in that order/,
    'ascending order is refused',
  ],
  ['receive', '--tsdb.retention', '1.5d', 'v0.42.4', /is not a duration/, 'no fraction'],
  ['receive', '--tsdb.retention', '-1h', 'v0.42.4', /is not a duration/, 'no sign'],
  [
    'store',
    '--consistency-delay',
    '1d',
    'v0.38.0',
    undefined,
    'T@v0.42.4:cmd/thanos/store.go:191 SetValue on a commonmodel.Duration, not kingpin Duration',
  ],
  // .Bytes(): kingpin v2.4.0 values.go:424-435 -> units.ParseBase2Bytes (units@0f3dac36c52b bytes.go:23-37, si.go:16-25, util.go:52-126).
  ['store', '--index-cache-size', '2GB', 'v0.42.4', undefined, 'T@v0.42.4:cmd/thanos/store.go:124, GB is 1024^3'],
  ['store', '--index-cache-size', '2GiB', 'v0.20.2', undefined, 'iB family'],
  ['store', '--index-cache-size', '1.5GB', 'v0.42.4', undefined, 'fractions'],
  ['store', '--index-cache-size', '1GiB512MiB', 'v0.42.4', undefined, 'a sum in one family'],
  ['store', '--index-cache-size', '0', 'v0.42.4', undefined, 'util.go: special "0"'],
  ['store', '--index-cache-size', '2Gi', 'v0.42.4', /not a byte size kingpin reads .*write 2GiB/, 'a Kubernetes quantity: unknown unit Gi'],
  ['store', '--index-cache-size', '2G', 'v0.42.4', /write 2GB/, 'unknown unit G'],
  ['store', '--index-cache-size', '2gb', 'v0.42.4', /write 2GB/, 'units are case-sensitive'],
  ['store', '--index-cache-size', '1073741824', 'v0.42.4', /write 1073741824B/, 'a plain number has no unit'],
  ['store', '--index-cache-size', '1GiB512MB', 'v0.42.4', /not a byte size/, 'each map is tried whole: iB and B do not mix'],
  ['receive', '--tsdb.max-retention-bytes', '500MB', 'v0.42.4', undefined, 'T@v0.42.4:cmd/thanos/receive.go:1089'],
  // Enum: kingpin refuses any value not listed (T@v0.42.4:cmd/thanos/query.go:87-88, main.go:47-49).
  ['query', '--query.promql-engine', 'thanos', 'v0.42.4', undefined, 'apiv1.PromqlEngineThanos'],
  [
    'query',
    '--query.promql-engine',
    'Thanos',
    'v0.42.4',
    /--query\.promql-engine=Thanos is not one of prometheus, thanos/,
    'case-sensitive',
  ],
  ['query', '--log.format', 'journald', 'v0.42.4', undefined, 'journald added in v0.42 (logging.LogFormatJournald)'],
  ['query', '--log.format', 'journald', 'v0.41.0', /is not one of logfmt, json$/, 'v0.41 knows logfmt and json only'],
  ['query', '--log.level', 'verbose', 'v0.42.4', /is not one of error, warn, info, debug/, 'T@v0.42.4:cmd/thanos/main.go:47'],
  ['compact', '--deduplication.func', '', 'v0.42.4', undefined, 'T@v0.42.4:cmd/thanos/compact.go:817: "" is one of the values'],
  // kingpin Int -> strconv.ParseFloat, truncated to int (K = alecthomas/kingpin values_generated.go:322-328, the same
  // at v2.4.0 for v0.39+ and at v2.2.6 / 17f40c25f497, which go.mod replaces gopkg.in/alecthomas/kingpin.v2 with, up to v0.38).
  // --compact.concurrency is an IntVar: T@v0.42.4:cmd/thanos/compact.go:795-796, T@v0.38.0:cmd/thanos/compact.go:806-807.
  ['compact', '--compact.concurrency', 'two', 'v0.42.4', /--compact\.concurrency=two is not a number/, 'ParseFloat refuses words'],
  ['compact', '--compact.concurrency', '0x14', 'v0.42.4', /--compact\.concurrency=0x14 is not a number/, 'a hex float needs a p exponent'],
  ['compact', '--compact.concurrency', '5e7', 'v0.42.4', undefined, 'K@v2.4.0:values_generated.go:322-328 ParseFloat'],
  ['compact', '--compact.concurrency', '1.5', 'v0.42.4', undefined, 'K@v2.4.0:values_generated.go:325 truncates to 1'],
  ['compact', '--compact.concurrency', '5e7', 'v0.38.0', undefined, 'K@v2.2.6:values_generated.go:322-328 ParseFloat'],
  ['compact', '--compact.concurrency', '1.5', 'v0.20.2', undefined, 'K@17f40c25f497:values_generated.go:322-328'],
  ['compact', '--compact.concurrency', '1,5', 'v0.38.0', /is not a number/, 'ParseFloat takes no comma'],
  // kingpin Int64 -> strconv.ParseInt(s, 0, 64) (K@v2.4.0:values_generated.go:494-500): no fraction or exponent.
  // --tsdb.max-exemplars is an Int64 from v0.23 (T@v0.42.4:cmd/thanos/receive.go:1098-1101), an Int in v0.22.
  ['receive', '--tsdb.max-exemplars', '0x14', 'v0.42.4', undefined, 'base 0 takes hex'],
  ['receive', '--tsdb.max-exemplars', '5e7', 'v0.42.4', /--tsdb\.max-exemplars=5e7 is not an integer/, 'ParseInt: no exponent'],
  ['receive', '--tsdb.max-exemplars', '5e7', 'v0.22.0', undefined, 'an Int in v0.22: ParseFloat'],
  // kingpin Uint64 -> strconv.ParseUint(s, 0, 64) (K@v2.4.0:values_generated.go:279-285): no sign.
  // --receive.replication-factor: T@v0.42.4:cmd/thanos/receive.go:1052 Uint64Var.
  ['receive', '--receive.replication-factor', '3', 'v0.42.4', undefined, 'ParseUint'],
  ['receive', '--receive.replication-factor', '-1', 'v0.42.4', /is not a non-negative integer/, 'ParseUint: no sign'],
  ['receive', '--receive.replication-factor', '1.5', 'v0.38.0', /is not a non-negative integer/, 'ParseUint: no fraction'],
  // kingpin Float64 -> strconv.ParseFloat (K@v2.4.0:values_generated.go:537-543); T@v0.42.4:cmd/thanos/store.go:209-210.
  ['store', '--store.posting-group-max-key-series-ratio', '1e2', 'v0.42.4', undefined, 'ParseFloat'],
  ['store', '--store.posting-group-max-key-series-ratio', '100x', 'v0.42.4', /is not a number/, 'ParseFloat'],
  // TimeOrDurationValue: T@v0.42.4:pkg/model/timeduration.go:23-45.
  ['sidecar', '--min-time', '-2w', 'v0.42.4', undefined, 'a negative model duration'],
  ['sidecar', '--min-time', '2024-01-01T00:00:00Z', 'v0.42.4', undefined, 'RFC3339'],
  ['sidecar', '--min-time', 'yesterday', 'v0.42.4', /neither an RFC3339 time nor a duration/, 'neither'],
  // Out of range: strconv and the duration and byte parsers refuse what the flag's Go type cannot hold (ErrRange), and
  // kingpin stops the process as for a typo. Every sized integer flag is 64-bit (T@v0.42.4:cmd/thanos/receive.go
  // Int64Var/Uint64Var). G = go1.26 src/internal/strconv/atoi.go, atof.go; core/units/*.test.ts has the parsers' tables.
  ['receive', '--tsdb.max-exemplars', '9223372036854775807', 'v0.42.4', undefined, 'K@v2.4.0:values_generated.go:495 ParseInt(s, 0, 64)'],
  [
    'receive',
    '--tsdb.max-exemplars',
    '9223372036854775808',
    'v0.42.4',
    /--tsdb\.max-exemplars=9223372036854775808 is out of range for an int64 \(strconv\.ParseInt: -9223372036854775808 to 9223372036854775807\); write a smaller number$/,
    'G ParseInt ErrRange',
  ],
  ['receive', '--tsdb.max-exemplars', '1_000', 'v0.42.4', undefined, 'G underscoreOK: base 0, between digits'],
  [
    'receive',
    '--tsdb.max-exemplars',
    '1__000',
    'v0.42.4',
    /is not an integer \(strconv\.ParseInt: .*underscores only between digits/,
    'G underscoreOK',
  ],
  ['receive', '--tsdb.max-exemplars', '_1000', 'v0.42.4', /is not an integer/, 'G underscoreOK: not first'],
  [
    'receive',
    '--receive.replication-factor',
    '18446744073709551616',
    'v0.42.4',
    /thanos receive v0\.42 exits at start: .* is out of range for a uint64 \(strconv\.ParseUint: at most 18446744073709551615\)/,
    'K@v2.4.0:values_generated.go:280 ParseUint(s, 0, 64)',
  ],
  [
    'compact',
    '--compact.concurrency',
    '1e400',
    'v0.42.4',
    /--compact\.concurrency=1e400 is out of range \(strconv\.ParseFloat: beyond the largest float64, about 1\.8e308\); write a smaller number$/,
    'K@v2.4.0:values_generated.go:323 ParseFloat(s, 64): ErrRange',
  ],
  [
    'compact',
    '--compact.concurrency',
    '1e19',
    'v0.42.4',
    undefined,
    'ParseFloat takes it; the int conversion (K:325) is meaningless, but the process starts',
  ],
  [
    'store',
    '--store.posting-group-max-key-series-ratio',
    '-1e309',
    'v0.42.4',
    /is out of range \(strconv\.ParseFloat/,
    'K@v2.4.0:values_generated.go:538',
  ],
  ['compact', '--consistency-delay', '106751d', 'v0.42.4', undefined, 'S = str2duration v2.1.0: within 2^63-1 ns'],
  [
    'compact',
    '--consistency-delay',
    '106752d',
    'v0.42.4',
    /thanos compact v0\.42 exits at start: --consistency-delay=106752d is longer than a Go duration holds \(at most 2562047h47m16s, about 292 years\); write a shorter one$/,
    'S str2duration.go:101',
  ],
  [
    'rule',
    '--eval-interval',
    '3000000h',
    'v0.38.0',
    /thanos rule v0\.38 exits at start: --eval-interval=3000000h is longer than a Go duration holds/,
    'go time.ParseDuration: v > 1<<63/unit',
  ],
  ['receive', '--tsdb.retention', '292y', 'v0.42.4', undefined, 'M = prometheus/common v0.67.5 model/time.go: within 2^63-1 ns'],
  [
    'receive',
    '--tsdb.retention',
    '300y',
    'v0.42.4',
    /--tsdb\.retention=300y is longer than a duration holds \(model\.ParseDuration: at most 292y24w3d23h47m16s854ms, about 292 years\); write a shorter one$/,
    'M model/time.go:249-251 "duration out of range"',
  ],
  [
    'sidecar',
    '--min-time',
    '-300y',
    'v0.42.4',
    /--min-time=-300y is longer than a duration holds .*write a shorter one or an RFC3339 time$/,
    'T@v0.42.4:pkg/model/timeduration.go:36 model.ParseDuration',
  ],
  ['sidecar', '--min-time', '-', 'v0.42.4', /neither an RFC3339 time nor a duration/, 'model.ParseDuration(""): empty duration string'],
  ['store', '--index-cache-size', '8EiB', 'v0.42.4', undefined, 'U = alecthomas/units@0f3dac36c52b util.go:134: 2^63 is float64(1<<63-1)'],
  [
    'store',
    '--index-cache-size',
    '9EiB',
    'v0.42.4',
    /--index-cache-size=9EiB is more than a byte size holds \(units\.ParseBase2Bytes: at most 8EiB, 2\^63 bytes\); write a smaller size$/,
    'U util.go:134-136 "units: overflow parsing unit"',
  ],
  // A value from the environment is not known here; an untyped flag takes any string.
  ['rule', '--eval-interval', '$(INTERVAL)', 'v0.38.0', undefined, 'expanded by Kubernetes, unknown here'],
  ['query', '--http-address', 'anything', 'v0.42.4', undefined, 'a string flag'],
];

describe('flagValueProblem: values as the image release parses them', () => {
  it.each(cases)('thanos %s %s=%s on %s', (subcommand, flag, value, release, refused, _why) => {
    const problem = flagValueProblem(subcommand, flag, value, release);
    if (refused) expect(problem).toMatch(refused);
    else expect(problem).toBeUndefined();
  });
});

describe('booleanValueProblem: kingpin v2.4.0 flags.go:114-120 sets the flag and leaves the value as an argument (parser.go:382-383)', () => {
  it('a boolean given =false or =true stops the process, naming both spellings to write', () => {
    expect(booleanValueProblem('compact', '--wait', 'false', 'v0.42.4')).toBe(
      'thanos compact v0.42 exits at start: --wait=false gives a boolean flag a value, which kingpin does not take (it sets the flag and then stops on "unexpected false"); write --wait to turn it on or --no-wait to turn it off, without =',
    );
    expect(booleanValueProblem('compact', '--no-wait', 'true', 'v0.38.0')).toMatch(/write --wait to turn it on or --no-wait/);
  });
  it('a flag that takes a value is not judged here', () => {
    expect(booleanValueProblem('compact', '--wait-interval', '5m', 'v0.42.4')).toBeUndefined();
  });
});

describe('the flag type reference read from each release (scripts/read-thanos-flag-types.mjs)', () => {
  const releases = THANOS_RELEASES;
  const components = Object.keys(byVersion.components);
  it('every typed flag is a flag of its command (or of some command, for shared ones) in each release its type covers', () => {
    const absent: string[] = [];
    for (const [scope, flags] of Object.entries(flagTypes.flags as Record<string, Record<string, { releases: string[] }[]>>)) {
      for (const [flag, runs] of Object.entries(flags)) {
        for (const {
          releases: [from, to],
        } of runs) {
          for (const release of releases.slice(releases.indexOf(from), releases.indexOf(to) + 1)) {
            const commands = scope === 'shared' ? components : [scope];
            if (!commands.some((c) => isThanosSubcommand(c) && hasFlag(c, flag, release))) absent.push(`${scope} ${flag} ${release}`);
          }
        }
      }
    }
    expect(absent).toEqual([]);
  });
  it('names the duration parser of every release: time.ParseDuration to v0.38, str2duration from v0.39', () => {
    const parsers = flagTypes.kingpinDuration as Record<string, string>;
    expect(Object.keys(parsers)).toEqual([...releases]);
    expect(releases.filter((r) => parsers[r] === 'str2duration')).toEqual(releases.slice(releases.indexOf('v0.39.2')));
    expect(releases.filter((r) => parsers[r] === 'time.ParseDuration')).toEqual(releases.slice(0, releases.indexOf('v0.39.2')));
  });
  it('a command-specific type wins over a shared one: query --query.default-step is a model duration, rule takes the shared kingpin Duration', () => {
    expect(flagValueType('query', '--query.default-step', 'v0.42.4')).toBe('model-duration');
    expect(flagValueType('rule', '--query.default-step', 'v0.42.4')).toBe('duration');
    expect(flagEnum('receive', '--receive.hashrings-algorithm', 'v0.42.4')).toEqual(['hashmod', 'ketama']);
  });
});

describe('referenceRelease: a pinned patch the reference did not record has its minor release flags', () => {
  it.each([
    ['v0.41.1', 'v0.41.0'],
    ['v0.42.4', 'v0.42.4'],
    ['v0.40.0', 'v0.40.1'],
    ['v0.43.0', THANOS_RELEASES[THANOS_RELEASES.length - 1]],
    ['latest', 'latest'],
  ])('%s -> %s', (version, release) => {
    expect(referenceRelease(version)).toBe(release);
  });

  // The generator checked its flags against the pin itself: a pin of v0.41.1 matched no release, so
  // every flag it writes "first appears in v0.20" and generate refused to run.
  it('flags of an unrecorded patch are judged by its minor: the sidecar flags exist in v0.41.1', () => {
    expect(checkThanosFlags('sidecar', ['--tsdb.path', '--objstore.config-file'], referenceRelease('v0.41.1'))).toEqual([]);
  });
});
