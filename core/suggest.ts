/** Edit distance (insertions, deletions, substitutions, swapping two neighbours), for "did you mean" on a typo. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
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
