import { describe, expect, it } from 'vitest';
import { isGoDuration, parseDuration, parseGoDuration, parseModelDuration } from './duration.js';

const H = 3_600_000_000_000n;
const MAX = 2n ** 63n - 1n;

// T = Go 1.26 src/time/format.go ParseDuration, leadingInt, leadingFraction (golang/go@08d24035 as stored).
describe('time.ParseDuration (kingpin.v2 v2.2.6 .Duration(), yaml time.Duration fields)', () => {
  it.each([
    ['90s', 90_000_000_000n],
    ['1h30m', 90n * 60_000_000_000n],
    ['1.5h', 90n * 60_000_000_000n],
    ['.5s', 500_000_000n],
    ['1.s', 1_000_000_000n],
    ['-1h', -H],
    ['0', 0n],
    ['-0', 0n],
    ['300µs', 300_000n],
    ['2562047h47m16.854775807s', MAX], // the largest time.Duration
    ['-2562047h47m16.854775808s', -MAX - 1n], // T: counted in uint64 up to 1<<63 when negative
    ['1.00000000000000000000000001s', 1_000_000_000n], // T leadingFraction: digits past the limit are dropped
  ])('takes %s', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });
  it.each([
    ['2562048h', 'T: d > 1<<63-1 at the end'],
    ['2562047h47m16.854775808s', 'one nanosecond more than the largest'],
    ['9223372036854775808ns', 'T leadingInt takes 1<<63, the total is 1 too many'],
    ['99999999999999999999ns', 'T leadingInt: x > 1<<63/10 before the last digit'],
    ['3000000h', 'T: v > 1<<63/unit'],
    ['1d', 'no days'],
    ['1', 'T: missing unit'],
    ['1h30', 'T: missing unit'],
    ['.s', 'T: no digits'],
    ['', 'empty'],
    ['1 h', 'a space is no unit'],
  ])('refuses %s (%s)', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
    expect(isGoDuration(text)).toBe(false);
  });
});

// S = xhit/go-str2duration v2.1.0 str2duration.go (kingpin v2.3.2 and v2.4.0 values.go:141-145).
describe('str2duration (kingpin v2.4.0 .Duration())', () => {
  it('adds d and w, and counts in int64: the most negative Duration is one too many (S:116 d < 0)', () => {
    expect(parseGoDuration('7d', 'str2duration')).toBe(168n * H);
    expect(parseGoDuration('2w', 'str2duration')).toBe(336n * H);
    expect(parseGoDuration('106751d23h47m16.854775807s', 'str2duration')).toBe(MAX);
    expect(parseGoDuration('106752d', 'str2duration')).toBeUndefined(); // S:101 v > (1<<63-1)/unit
    expect(parseGoDuration('15250w48h', 'str2duration')).toBeUndefined(); // S:116 the total passes 1<<63-1
    expect(parseGoDuration('-2562047h47m16.854775808s', 'str2duration')).toBeUndefined();
    expect(parseGoDuration('9223372036854775808ns', 'str2duration')).toBeUndefined(); // S:142-149 leadingInt
    expect(parseGoDuration('1y', 'str2duration')).toBeUndefined();
    expect(parseGoDuration('7d', 'time.ParseDuration')).toBeUndefined();
  });
});

// M = prometheus/common v0.67.5 model/time.go (Thanos v0.42.4's go.mod).
describe('model.ParseDuration (extkingpin.ModelDuration, Prometheus durations)', () => {
  it.each([
    ['15d', 360n * H],
    ['1y2w', (365n + 14n) * 24n * H],
    ['1d12h', 36n * H],
    ['0', 0n],
    ['0s', 0n],
    ['292y24w3d23h47m16s854ms', 9_223_372_036_854_000_000n], // the largest in model units
  ])('takes %s', (text, ns) => {
    expect(parseModelDuration(text)).toBe(ns);
  });
  it.each([
    ['293y', 'M:249-251 v > 1<<63/unit.mult'],
    ['292y25w', 'M:253-255 dur > 1<<63-1'],
    ['106752d', 'past 2^63-1 ns'],
    ['99999999999999999999ms', 'M:226 ParseUint fails'],
    ['1.5d', 'whole numbers only'],
    ['1h1d', 'M:244 units in order'],
    ['-1h', 'no sign'],
    ['', 'M:210 empty'],
  ])('refuses %s (%s)', (text) => {
    expect(parseModelDuration(text)).toBeUndefined();
    expect(parseDuration(text)).toBeUndefined();
  });
  it('gives milliseconds to the rules', () => {
    expect(parseDuration('90d')).toBe(90 * 86_400_000);
    expect(parseDuration('1y')).toBe(31_536_000_000);
    expect(parseDuration('0')).toBe(0);
  });
});
