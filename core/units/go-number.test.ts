import { describe, expect, it } from 'vitest';
import { goUnderscoreOK, kingpinNumberProblem, parseGoFloat, parseGoInt, parseGoUint } from './go-number.js';

// G = Go's strconv as Thanos v0.42.4 and Prometheus v3.13.2 build it (go 1.26: src/internal/strconv/atoi.go and
// atof.go, read at golang/go@71300e80 and @1d68a237; the same functions as src/strconv/atoi.go before the move).
// K = alecthomas/kingpin v2.4.0 values_generated.go.

describe('strconv.ParseInt(s, 0, 64): kingpin Int64 (K:494-500)', () => {
  it.each([
    ['20', 20n, 'decimal'],
    ['-20', -20n, 'a sign'],
    ['+20', 20n, 'a plus sign'],
    ['0x1F', 31n, 'hex, either case'],
    ['0o17', 15n, '0o octal'],
    ['017', 15n, 'a leading 0 is octal'],
    ['0b101', 5n, 'binary'],
    ['0', 0n, 'a bare 0'],
    ['1_000', 1000n, 'G underscoreOK: between digits'],
    ['0x_ff', 255n, 'G underscoreOK: right after the base prefix'],
    ['9223372036854775807', 2n ** 63n - 1n, 'the largest int64'],
    ['-9223372036854775808', -(2n ** 63n), 'the smallest int64'],
  ])('takes %s', (text, value) => {
    expect(parseGoInt(text)).toEqual({ ok: true, value });
  });
  it.each([
    ['9223372036854775808', 'range', 'G ParseInt: un >= cutoff without a sign'],
    ['-9223372036854775809', 'range', 'G ParseInt: un > cutoff with a minus'],
    ['99999999999999999999', 'range', 'G ParseUint: past 2^64-1 already'],
    ['0x8000000000000000', 'range', '2^63 in hex'],
    ['1__0', 'syntax', 'G underscoreOK: two underscores'],
    ['_1', 'syntax', 'G underscoreOK: first'],
    ['1_', 'syntax', 'G underscoreOK: last'],
    ['-_1', 'syntax', 'G underscoreOK: after the sign'],
    ['08', 'syntax', 'a leading 0 is octal: no 8'],
    ['0x', 'syntax', 'a prefix needs a digit after it (len(s) >= 3), else 0 then x'],
    ['1.5', 'syntax', 'no fraction'],
    ['5e7', 'syntax', 'no exponent'],
    ['', 'syntax', 'empty'],
    ['-', 'syntax', 'a sign alone'],
    ['--1', 'syntax', 'two signs'],
    [' 1', 'syntax', 'no space'],
  ])('refuses %s (%s)', (text, error) => {
    expect(parseGoInt(text)).toEqual({ ok: false, error });
  });
  it('reads 32 bits when asked (kingpin Int32, K:451-457; no flag of the reference releases is one)', () => {
    expect(parseGoInt('2147483647', 32)).toEqual({ ok: true, value: 2147483647n });
    expect(parseGoInt('2147483648', 32)).toEqual({ ok: false, error: 'range' });
    expect(parseGoInt('-2147483648', 32)).toEqual({ ok: true, value: -2147483648n });
  });
});

describe('strconv.ParseUint(s, 0, 64): kingpin Uint64 and Uint (K:279-285, :107-113)', () => {
  it('takes up to 2^64-1, refuses one more, a sign, a fraction', () => {
    expect(parseGoUint('18446744073709551615')).toEqual({ ok: true, value: 2n ** 64n - 1n });
    expect(parseGoUint('0xFFFF_FFFF_FFFF_FFFF')).toEqual({ ok: true, value: 2n ** 64n - 1n });
    expect(parseGoUint('18446744073709551616')).toEqual({ ok: false, error: 'range' });
    // G ParseUint returns ErrRange at the first digit that overflows, before it sees the rest.
    expect(parseGoUint('99999999999999999999x')).toEqual({ ok: false, error: 'range' });
    expect(parseGoUint('-1')).toEqual({ ok: false, error: 'syntax' });
    expect(parseGoUint('+1')).toEqual({ ok: false, error: 'syntax' });
    expect(parseGoUint('1.0')).toEqual({ ok: false, error: 'syntax' });
    expect(parseGoUint('4294967296', 32)).toEqual({ ok: false, error: 'range' });
  });
});

describe('strconv underscoreOK (G atoi.go): only with base 0, between digits or after a base prefix', () => {
  it.each([
    ['1_000', true],
    ['0x_1', true],
    ['0b_1_0', true],
    ['-1_0', true],
    ['1__0', false],
    ['_1', false],
    ['1_', false],
    ['0x1_', false],
    ['1_.5', false],
    ['1._5', false],
    ['1.5_0', true],
    ['1e1_0', true],
  ])('%s: %s', (text, ok) => {
    expect(goUnderscoreOK(text)).toBe(ok);
  });
});

describe('strconv.ParseFloat(s, 64): kingpin Float64 (K:537-543) and Int (K:322-328, then truncated)', () => {
  it.each([
    ['20', 20],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['5e7', 5e7],
    ['-1E-3', -0.001],
    ['1_000.5', 1000.5],
    ['0x1p-2', 0.25],
    ['0x1.8p1', 3],
    ['0X_1FP0', 31],
    ['1e-400', 0], // G atof.go: too small for a float64 is 0, no error
    ['1.7976931348623157e308', Number.MAX_VALUE],
    ['1e19', 1e19], // kingpin Int takes it; int(1e19) is meaningless but the process starts
    ['inf', Infinity],
    ['-Infinity', -Infinity],
    ['+INF', Infinity],
  ])('takes %s', (text, value) => {
    expect(parseGoFloat(text)).toEqual({ ok: true, value });
  });
  it('takes NaN in any case, unsigned only (G atof.go special: a sign is read for inf only)', () => {
    expect(parseGoFloat('NaN')).toMatchObject({ ok: true });
    expect(parseGoFloat('nan').ok && Number.isNaN((parseGoFloat('nan') as { value: number }).value)).toBe(true);
    expect(parseGoFloat('-nan')).toEqual({ ok: false, error: 'syntax' });
    expect(parseGoFloat('+NaN')).toEqual({ ok: false, error: 'syntax' });
  });
  it.each([
    ['1e400', 'range', 'G ParseFloat: "more than 1/2 ULP away from the largest floating point number": ErrRange'],
    ['-1e400', 'range', 'the same below'],
    ['1.7976931348623159e308', 'range', 'rounds to +Inf'],
    ['0x1p1024', 'range', 'G atofHex: exp > maxExp'],
    ['0x1.fffffffffffff8p1023', 'range', 'rounds up to 2^1024 (ties to even)'],
    ['0x14', 'syntax', 'a hex float needs a p exponent'],
    ['0x1p', 'syntax', 'an exponent needs digits'],
    ['1e', 'syntax', 'an exponent needs digits'],
    ['1e_5', 'syntax', 'the exponent starts with a digit'],
    ['1__0', 'syntax', 'underscoreOK'],
    ['_1', 'syntax', 'underscoreOK'],
    ['1_.5', 'syntax', 'underscoreOK'],
    ['1,5', 'syntax', 'no comma'],
    ['.', 'syntax', 'no digits'],
    ['infinit', 'syntax', 'G special: only inf or infinity'],
    ['two', 'syntax', 'a word'],
    ['', 'syntax', 'empty'],
    ['0b1', 'syntax', 'no binary floats'],
  ])('refuses %s (%s: %s)', (text, error) => {
    expect(parseGoFloat(text)).toEqual({ ok: false, error });
  });
  it('takes the largest hex float below 2^1024', () => {
    expect(parseGoFloat('0x1.fffffffffffffp1023')).toEqual({ ok: true, value: Number.MAX_VALUE });
  });
});

describe('kingpinNumberProblem: what a flag message says after "--flag=value"', () => {
  it('says what is wrong and what to write instead, or nothing', () => {
    expect(kingpinNumberProblem('int', '5e7')).toBeUndefined();
    expect(kingpinNumberProblem('int', '1e400')).toMatch(
      /^is out of range \(strconv.ParseFloat: beyond the largest float64.*write a smaller number$/,
    );
    expect(kingpinNumberProblem('float', 'two')).toMatch(/^is not a number \(kingpin reads it with strconv.ParseFloat; e.g. 20 or 5e7\)$/);
    expect(kingpinNumberProblem('integer', '9223372036854775808')).toMatch(
      /^is out of range for an int64 .*9223372036854775807\); write a smaller number$/,
    );
    expect(kingpinNumberProblem('integer', '1__0')).toMatch(/^is not an integer .*underscores only between digits/);
    expect(kingpinNumberProblem('unsigned', '18446744073709551616')).toMatch(/^is out of range for a uint64 .*18446744073709551615\)/);
    expect(kingpinNumberProblem('unsigned', '-1')).toMatch(/^is not a non-negative integer \(strconv.ParseUint: no sign/);
    expect(kingpinNumberProblem('unsigned', '0x10')).toBeUndefined();
  });
});
