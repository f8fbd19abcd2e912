/**
 * alecthomas/units ParseBase2Bytes (units@0f3dac36c52b, the commit Thanos v0.42.4 and Prometheus v3.13.2
 * require): the parser of every kingpin `.Bytes()` flag. bytes.go:31-37 tries the `iB` units, then the
 * old `B` ones (si.go:16-49: both powers of 1024, `K` capital), so one value keeps to one family.
 * util.go:52-137 ParseUnit reads a sign, then decimal numbers with an optional fraction, each with a unit;
 * a bare `0` is the one number without a unit.
 */
const BINARY: Readonly<Record<string, number>> = {
  B: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  PiB: 2 ** 50,
  EiB: 2 ** 60,
};
const OLD: Readonly<Record<string, number>> = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50, EB: 2 ** 60 };

/**
 * util.go:36-50 leadingInt: it stops with an error once the value read so far reaches (2^63-10)/10 and
 * another digit follows. So a run of digits is refused when all but its last digit make 922337203685477579
 * or more: about 9.2e18 bytes before a point, and a fraction whose digits read that much (`1.99999999999999999999B`).
 */
function leadingIntOK(digits: string): boolean {
  return digits.length < 2 || BigInt(digits.slice(0, -1)) < ((1n << 63n) - 10n) / 10n;
}

function parseUnit(text: string, units: Readonly<Record<string, number>>): number | undefined {
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let f = 0;
  while (s !== '') {
    const [whole, digits, fraction] = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (digits === '' && !fraction) return undefined; // no digits (".B", "-.B") or no number at all
    if (!leadingIntOK(digits) || !leadingIntOK(fraction ?? '')) return undefined;
    // float64 arithmetic as Go's: g = float64(x) + float64(frac)/scale, scale 10 per fraction digit.
    let g = Number(BigInt(digits || '0'));
    if (fraction) {
      let scale = 1;
      for (let n = fraction.length; n > 0; n--) scale *= 10;
      g += Number(BigInt(fraction)) / scale;
    }
    s = s.slice(whole.length);
    const unit = /^[^.0-9]*/.exec(s)![0];
    s = s.slice(unit.length);
    if (!Object.hasOwn(units, unit)) return undefined;
    f += g * units[unit];
  }
  if (neg) f = -f;
  // util.go:134-136: "units: overflow parsing unit" beyond float64(1<<63-1), which is 2^63.
  if (f < -(2 ** 63) || f > 2 ** 63) return undefined;
  return f;
}

/** The size in bytes ParseBase2Bytes reads from `text`, or undefined when it refuses it (kingpin then stops the process). */
export function parseBase2Bytes(text: string): number | undefined {
  return parseUnit(text, BINARY) ?? parseUnit(text, OLD);
}
