/** Edit distance (insertions, deletions, substitutions), for "did you mean" on a typo. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate a typo most likely meant: the closest within a third of its length (at least one
 * edit), so `gsc` finds `gcs` and `stagin` finds `staging`, while a word unlike all of them finds none.
 */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(value.length / 3));
  let best: { candidate: string; cost: number } | undefined;
  for (const candidate of candidates) {
    const cost = distance(value.toLowerCase(), candidate.toLowerCase());
    if (cost <= limit && (!best || cost < best.cost)) best = { candidate, cost };
  }
  return best?.candidate;
}

/** " Did you mean 'x'?" or nothing, to append to a message about an unknown value. */
export function didYouMean(value: string, candidates: readonly string[]): string {
  const match = closest(value, candidates);
  return match && match !== value ? ` Did you mean '${match}'?` : '';
}
