/**
 * Prometheus/Thanos duration strings ("2h", "1h30m", "90d", "1y") in milliseconds.
 * Units follow Prometheus' model.ParseDuration: y=365d, w=7d, d=24h. "0" (and "0s") mean zero,
 * which for Thanos retention flags means "keep forever".
 */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Returns milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = DURATION.exec(text);
  if (!match || text === '') return undefined;
  const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  let total = 0;
  units.forEach((unit, index) => {
    const value = match[index + 1];
    if (value !== undefined) total += Number(value) * UNIT_MS[unit];
  });
  return total;
}

/** A decimal number as Go's duration and byte-size parsers read it: 1, 1.5, .5, 1. */
export const DECIMAL = String.raw`(\d+(\.\d*)?|\.\d+)`;
/** Go's time.ParseDuration (go/src/time/format.go): signed decimal numbers with ns/us/ms/s/m/h units, no days; bare "0". */
const GO_DURATION = new RegExp(`^[-+]?(0|(${DECIMAL}(ns|us|µs|μs|ms|s|m|h))+)$`);

/** Whether Go's time.ParseDuration takes `text` (kingpin.v2 `.Duration()` flags, yaml `time.Duration` fields). */
export function isGoDuration(text: string): boolean {
  return GO_DURATION.test(text);
}

/** A model duration with y, w or d written for Go ("168h for 7d"); undefined when it has none of them. */
export function inGoHours(value: string): string | undefined {
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?((?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/.exec(value);
  if (!m || !(m[1] || m[2] || m[3])) return undefined;
  const hours = Number(m[1] ?? 0) * 8760 + Number(m[2] ?? 0) * 168 + Number(m[3] ?? 0) * 24 + Number(m[4] ?? 0);
  return `${hours}h${m[5]} for ${value}`;
}
