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
