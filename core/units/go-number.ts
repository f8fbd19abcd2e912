/**
 * Go's strconv number parsers, as kingpin's numeric flag values go through them (kingpin
 * values_generated.go at v2.4.0, v2.2.6 and 17f40c25f497 alike). Prometheus, Alertmanager and Thanos
 * all build on kingpin, so their flag checks share these. Syntax and range both: a value out of range
 * for the flag's Go type is an error (strconv.ErrRange) kingpin refuses like a typo, and the process
 * exits at start.
 *
 * Read from Go's strconv (src/strconv/atoi.go, atof.go; from Go 1.26 the same code in
 * src/internal/strconv/, behind src/strconv/number.go), the release Thanos v0.42.4 and Prometheus
 * v3.13.2 are built with (go.mod `go 1.26.0`, .promu.yml `version: 1.26`).
 */

/** Why strconv refuses a value: not a number of the kind (ErrSyntax), or one its type cannot hold (ErrRange). */
export type GoNumberError = 'syntax' | 'range';
export type GoParsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: GoNumberError };

const fail = (error: GoNumberError) => ({ ok: false, error }) as const;

/**
 * strconv underscoreOK (atoi.go): with base 0, underscores only between digits or right after a base
 * prefix (`1_000`, `0x_ff`); never first, last or doubled (`_1`, `1_`, `1__0`).
 */
export function goUnderscoreOK(text: string): boolean {
  let s = text;
  // saw: '^' start, '0' a digit or base prefix, '_' an underscore, '!' anything else.
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /^[a-fA-F]$/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** The value of one digit in bases up to 36 (strconv: 0-9, then a-z in either case), or 36 for anything else. */
function digitValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  const lower = c.toLowerCase();
  if (c.length === 1 && lower >= 'a' && lower <= 'z') return lower.charCodeAt(0) - 87;
  return 36;
}

/**
 * strconv.ParseUint(s, 0, bitSize) (atoi.go): kingpin Uint, Uint64 (bitSize 64) and Uint32 (32). Base from
 * the prefix: 0x hex, 0o or a bare leading 0 octal, 0b binary, else decimal; no sign; ErrRange above 2^bits-1.
 */
export function parseGoUint(text: string, bitSize = 64): GoParsed<bigint> {
  if (text === '') return fail('syntax');
  let base = 10;
  let s = text;
  if (s[0] === '0') {
    const prefix = s.length >= 3 ? s[1].toLowerCase() : '';
    base = prefix === 'b' ? 2 : prefix === 'x' ? 16 : 8;
    s = prefix === 'b' || prefix === 'o' || prefix === 'x' ? s.slice(2) : s.slice(1);
  }
  const max = (1n << BigInt(bitSize)) - 1n;
  let underscores = false;
  let n = 0n;
  for (const c of s) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = digitValue(c);
    if (d >= base) return fail('syntax');
    n = n * BigInt(base) + BigInt(d);
    // Go stops at the first digit that overflows, before it reads the rest.
    if (n > max) return fail('range');
  }
  if (underscores && !goUnderscoreOK(text)) return fail('syntax');
  return { ok: true, value: n };
}

/**
 * strconv.ParseInt(s, 0, bitSize) (atoi.go): kingpin Int64 (bitSize 64) and Int32 (32). An optional sign,
 * then ParseUint's syntax; ErrRange outside -2^(bits-1) .. 2^(bits-1)-1.
 */
export function parseGoInt(text: string, bitSize = 64): GoParsed<bigint> {
  if (text === '') return fail('syntax');
  const neg = text[0] === '-';
  const unsigned = parseGoUint(text[0] === '+' || neg ? text.slice(1) : text, bitSize);
  if (!unsigned.ok && unsigned.error === 'syntax') return unsigned;
  const cutoff = 1n << BigInt(bitSize - 1);
  // A ParseUint range error is a value above 2^bits-1, beyond the cutoff either way.
  if (!unsigned.ok || (neg ? unsigned.value > cutoff : unsigned.value >= cutoff)) return fail('range');
  return { ok: true, value: neg ? -unsigned.value : unsigned.value };
}

/** Decimal float syntax of strconv readFloat: digits with one optional point, an optional e exponent. */
const DECIMAL_FLOAT = /^[-+]?([0-9_]*\.?[0-9_]*)([eE][-+]?[0-9][0-9_]*)?$/;
/** Hexadecimal float syntax of strconv readFloat: 0x, hex digits with one optional point, a p exponent (required). */
const HEX_FLOAT = /^([-+]?)0[xX]([0-9a-fA-F_]*)\.?([0-9a-fA-F_]*)[pP]([-+]?[0-9][0-9_]*)$/;

/** Whether mantissa * 2^exp (mantissa > 0) rounds, to 53 bits ties to even, to 2^1024 or more. */
function hexOverflows(mantissa: bigint, exp: number): boolean {
  let bits = mantissa.toString(2).length;
  if (bits > 53) {
    const shift = BigInt(bits - 53);
    let top = mantissa >> shift;
    const rest = mantissa & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (top & 1n) === 1n)) top += 1n;
    if (top === 1n << 53n) bits += 1;
  }
  return bits - 1 + exp >= 1024;
}

/**
 * strconv.ParseFloat(s, 64) (atof.go): kingpin Float64, and kingpin Int, which parses a float and
 * truncates it to an int (values_generated.go:322-328): `5e7` is 50000000 and `1.5` is 1. Decimal or
 * hexadecimal (`0x1p-2`) floats, underscores as Go literals take them, `inf`/`infinity` with an
 * optional sign and an unsigned `nan` in any case. ErrRange when the value rounds beyond the largest
 * float64 (`1e400`); a value too small for a float64 (`1e-400`) is 0, no error.
 */
export function parseGoFloat(text: string): GoParsed<number> {
  const special = /^([-+]?)(inf|infinity)$/i.exec(text);
  if (special) return { ok: true, value: special[1] === '-' ? -Infinity : Infinity };
  if (/^nan$/i.test(text)) return { ok: true, value: Number.NaN };
  const hex = HEX_FLOAT.exec(text);
  if (hex) {
    const [, sign, whole, fraction, exponent] = hex;
    if (!/[0-9a-fA-F]/.test(whole + fraction) || !goUnderscoreOK(text)) return fail('syntax');
    const mantissa = BigInt(`0x0${(whole + fraction).replaceAll('_', '')}`);
    const exp = Number(exponent.replaceAll('_', '')) - 4 * fraction.replaceAll('_', '').length;
    if (mantissa > 0n && hexOverflows(mantissa, exp)) return fail('range');
    const value = Number(mantissa) * 2 ** exp;
    return { ok: true, value: sign === '-' ? -value : value };
  }
  const decimal = DECIMAL_FLOAT.exec(text);
  if (!decimal || !/[0-9]/.test(decimal[1]) || !goUnderscoreOK(text)) return fail('syntax');
  // JavaScript rounds a decimal string to the nearest float64 as Go does (IEEE 754, ties to even).
  const value = Number(text.replaceAll('_', ''));
  return Number.isFinite(value) ? { ok: true, value } : fail('range');
}

/**
 * kingpin's numeric flag types: int = kingpin Int (ParseFloat, then truncated), float = Float64,
 * integer = Int64, unsigned = Uint64 or Uint (both ParseUint with bit size 64: values_generated.go:107-113,
 * :279-285). Every sized integer flag of the releases the references cover is 64-bit (Thanos v0.20-v0.42
 * Int64Var/Uint64Var, Prometheus cmd/prometheus/main.go:607 Int64Var at v3.13.2; no Int32 or Uint32 flag).
 */
export type KingpinNumber = 'int' | 'float' | 'integer' | 'unsigned';

/**
 * Why kingpin refuses `value` for a flag of `kind`, as the rest of "--flag=value ...", with what to write
 * instead; undefined when it takes it. kingpin Int takes any float64 (`1e19` starts, with a meaningless int).
 */
export function kingpinNumberProblem(kind: KingpinNumber, value: string): string | undefined {
  if (kind === 'integer' || kind === 'unsigned') {
    const parsed = kind === 'integer' ? parseGoInt(value) : parseGoUint(value);
    if (parsed.ok) return undefined;
    if (parsed.error === 'range')
      return kind === 'integer'
        ? 'is out of range for an int64 (strconv.ParseInt: -9223372036854775808 to 9223372036854775807); write a smaller number'
        : 'is out of range for a uint64 (strconv.ParseUint: at most 18446744073709551615); write a smaller number';
    return kind === 'integer'
      ? 'is not an integer (strconv.ParseInt: no fraction or exponent, underscores only between digits; e.g. 20, 0x10 or 1_000)'
      : 'is not a non-negative integer (strconv.ParseUint: no sign, fraction or exponent, underscores only between digits; e.g. 20 or 0x10)';
  }
  const parsed = parseGoFloat(value);
  if (parsed.ok) return undefined;
  return parsed.error === 'range'
    ? 'is out of range (strconv.ParseFloat: beyond the largest float64, about 1.8e308); write a smaller number'
    : 'is not a number (kingpin reads it with strconv.ParseFloat; e.g. 20 or 5e7)';
}
