// Duration strings as Prometheus, Thanos and kingpin read them: model durations ("2h", "1h30m", "90d", "1y";
// y=365d, w=7d, d=24h; "0" and "0s" mean zero, which for Thanos retention flags means "keep forever") and Go
// durations, each with the range of a time.Duration.

/**
 * prometheus/common model.ParseDuration (model/time.go:205-259 at v0.67.5): whole numbers of y, w, d, h,
 * m, s, ms, each unit at most once and in that order, or a bare "0"; in nanoseconds (BigInt), undefined
 * when it refuses the text, also when the total does not fit a time.Duration (:248-255, "duration out
 * of range": 2^63-1 ns, about 292 years). Releases before v0.45 read it with a regex and refuse the same
 * totals (v0.26.0 model/time.go:213-222).
 */
export function parseModelDuration(text: string): bigint | undefined {
  if (text === '0') return 0n;
  const match = MODEL_DURATION.exec(text);
  if (!match || text === '') return undefined;
  let total = 0n;
  for (const [i, unit] of MODEL_UNITS.entries()) {
    const digits = match[i + 1];
    if (digits === undefined) continue;
    // :249-251: a count beyond what the unit allows is out of range (more than 2^64-1 fails ParseUint at :226 first).
    const v = BigInt(digits);
    if (v > TWO_63 / NS[unit]) return undefined;
    total += v * NS[unit];
    if (total > TWO_63 - 1n) return undefined;
  }
  return total;
}

const MODEL_UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;
const MODEL_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const TWO_63 = 1n << 63n;
/** Nanoseconds per unit: Go's time units, str2duration's d and w, model's y. */
const NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  y: 31_536_000_000_000_000n,
};

/** Returns milliseconds, or undefined when model.ParseDuration refuses the text (a typo, or more than about 292 years). */
export function parseDuration(text: string): number | undefined {
  const ns = parseModelDuration(text);
  return ns === undefined ? undefined : Number(ns / 1_000_000n);
}

/**
 * The two parsers of a kingpin `.Duration()` flag: Go's time.ParseDuration (kingpin.v2 v2.2.6 and
 * yaml `time.Duration` fields) and xhit/go-str2duration v2.1.0 (kingpin v2.3.2 and v2.4.0, values.go:141-145),
 * which adds d and w. Both read a sign, then decimal numbers with an optional fraction, each with a unit.
 */
export type GoDurationParser = 'time.ParseDuration' | 'str2duration';

const UNITS: Record<GoDurationParser, readonly string[]> = {
  'time.ParseDuration': ['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'],
  str2duration: ['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h', 'd', 'w'],
};

/**
 * The duration in nanoseconds as Go's time.ParseDuration (src/time/format.go ParseDuration, leadingInt,
 * leadingFraction) or str2duration v2.1.0 (str2duration.go:30-124, leadingInt :135-153) reads it;
 * undefined when it refuses the text: bad syntax, an unknown unit, or a total beyond a time.Duration
 * (2^63-1 ns, about 292 years: `2562048h` is refused). time.ParseDuration counts in uint64 up to 2^63
 * (so `-2562047h47m16.854775808s`, the most negative Duration, passes); str2duration in int64.
 */
export function parseGoDuration(text: string, parser: GoDurationParser = 'time.ParseDuration'): bigint | undefined {
  const time = parser === 'time.ParseDuration';
  // Largest value a leading integer, a unit's product and the running total may reach.
  const limit = time ? TWO_63 : TWO_63 - 1n;
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let d = 0n;
  while (s !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, digits, fraction] = number;
    if (digits === '' && !fraction) return undefined; // no digits (".s", "-.s") or no number at all
    // leadingInt: more than the limit is an error, not a large number.
    let v = BigInt(digits || '0');
    if (v > limit) return undefined;
    // leadingFraction: digits past the limit are dropped, not an error.
    let f = 0n;
    let scale = 1;
    for (const c of fraction ?? '') {
      const y = f * 10n + BigInt(c);
      if (f > (TWO_63 - 1n) / 10n || y > limit) break;
      f = y;
      scale *= 10;
    }
    s = s.slice(whole.length);
    const unit = /^[^.0-9]*/.exec(s)![0];
    s = s.slice(unit.length);
    if (!UNITS[parser].includes(unit)) return undefined; // missing or unknown unit
    const ns = NS[unit];
    if (v > limit / ns) return undefined;
    v *= ns;
    // float64 arithmetic as Go's: uint64(float64(f) * (float64(unit) / scale)).
    if (f > 0n) v += BigInt(Math.trunc(Number(f) * (Number(ns) / scale)));
    if (v > limit) return undefined;
    d += v;
    if (d > limit) return undefined;
  }
  if (neg) return -d;
  return d > TWO_63 - 1n ? undefined : d;
}

/** A decimal number as Go's duration and byte-size parsers read it: 1, 1.5, .5, 1. */
export const DECIMAL = String.raw`(\d+(\.\d*)?|\.\d+)`;
/** The syntax of each parser, whatever the size: tells a typo from a value out of range. */
const GO_DURATION_SYNTAX: Record<GoDurationParser, RegExp> = {
  'time.ParseDuration': new RegExp(`^[-+]?(0|(${DECIMAL}(ns|us|µs|μs|ms|s|m|h))+)$`),
  str2duration: new RegExp(`^[-+]?(0|(${DECIMAL}(ns|us|µs|μs|ms|s|m|h|d|w))+)$`),
};

/** Whether `text` is written as `parser` reads a duration, in range or not. */
export function isGoDurationSyntax(text: string, parser: GoDurationParser): boolean {
  return GO_DURATION_SYNTAX[parser].test(text);
}

/** Whether `text` is written as model.ParseDuration reads a duration, in range or not. */
export function isModelDurationSyntax(text: string): boolean {
  return text !== '' && MODEL_DURATION.test(text);
}

/** The longest time.Duration (2^63-1 ns), in the units each parser reads: what to write at most. */
export const MAX_GO_DURATION = '2562047h47m16s';
export const MAX_MODEL_DURATION = '292y24w3d23h47m16s854ms';

/** Whether Go's time.ParseDuration takes `text` (kingpin.v2 `.Duration()` flags, yaml `time.Duration` fields), range included. */
export function isGoDuration(text: string): boolean {
  return parseGoDuration(text) !== undefined;
}

/** A model duration with y, w or d written for Go ("168h for 7d"); undefined when it has none of them. */
export function inGoHours(value: string): string | undefined {
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?((?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/.exec(value);
  if (!m || !(m[1] || m[2] || m[3])) return undefined;
  const hours = Number(m[1] ?? 0) * 8760 + Number(m[2] ?? 0) * 168 + Number(m[3] ?? 0) * 24 + Number(m[4] ?? 0);
  return `${hours}h${m[5]} for ${value}`;
}
