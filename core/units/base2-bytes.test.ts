import { describe, expect, it } from 'vitest';
import { parseBase2Bytes } from './base2-bytes.js';

// U = alecthomas/units@0f3dac36c52b (Thanos v0.42.4 and Prometheus v3.13.2 go.mod): bytes.go:31-37, util.go:36-137.
describe('units.ParseBase2Bytes (kingpin .Bytes() flags)', () => {
  it.each([
    ['512MiB', 512 * 2 ** 20],
    ['2GB', 2 * 2 ** 30], // si.go MakeUnitMap("B", "B", 1024): KB..EB are powers of 1024 too
    ['1.5KiB', 1536],
    ['1GiB512MiB', 1.5 * 2 ** 30],
    ['0', 0],
    ['-1KB', -1024],
    ['8EiB', 2 ** 63], // U:134: f > float64(1<<63-1), which is 2^63 itself: passes
    ['7EiB1023PiB', 2 ** 63 - 2 ** 50],
  ])('takes %s', (text, bytes) => {
    expect(parseBase2Bytes(text)).toBe(bytes);
  });
  it.each([
    ['9EiB', 'U:134-136 overflow parsing unit'],
    ['8EiB4KiB', 'past 2^63 (8EiB1B rounds to 2^63 in float64 and passes)'],
    ['-9EiB', 'below -2^63'],
    ['10000000000000000000B', 'U:43 leadingInt: 1000000000000000000 >= (1<<63-10)/10 before the last digit'],
    ['1.99999999999999999999KiB', 'U:43 the fraction goes through leadingInt as well'],
    ['1KiB1KB', 'one family per value (U bytes.go:31-37 tries each map in turn)'],
    ['2Gi', 'no unit Gi'],
    ['1kB', 'lowercase k only for SI (si.go:43-48)'],
    ['1024', 'a unit is required'],
    ['', 'empty'],
    ['.B', 'no digits'],
  ])('refuses %s (%s)', (text) => {
    expect(parseBase2Bytes(text)).toBeUndefined();
  });
});
