import strictness from '../reference/objstore-strict-by-version.json' with { type: 'json' };
import { releaseInRanges } from './flags.js';

type Parsing = 'strict' | 'lenient' | 'absent';
const RELEASES = strictness.releases as Record<string, { wrapper: Parsing; providers: Record<string, Parsing> }>;
const KEYS = strictness.keys as unknown as Record<string, Record<string, [string, string][]>>;

/** One difference in how two Thanos releases read the objstore config (core/reference/objstore-strict-by-version.json). */
export interface ObjstoreChange {
  /** The provider type (S3, GCS, ...) or `wrapper` for the type/config/prefix document. */
  readonly provider: string;
  readonly text: string;
}

/**
 * What changes in the objstore config between two reference releases: a provider or the wrapper
 * parsed strictly where it was not (an unknown key then stops the process) or the reverse, and the
 * keys a provider's config gains or loses.
 */
export function objstoreChangesBetween(from: string, to: string): ObjstoreChange[] {
  const before = RELEASES[from];
  const after = RELEASES[to];
  if (!before || !after) return [];
  const out: ObjstoreChange[] = [];
  const parsing = (provider: string, a: Parsing, b: Parsing) => {
    if (a === b) return;
    const what =
      b === 'strict'
        ? 'is parsed strictly: an unknown or misplaced key stops the process'
        : b === 'lenient'
          ? a === 'absent'
            ? 'is supported'
            : 'is parsed leniently: an unknown key is ignored'
          : 'is not supported ("bucket with type X is not supported")';
    out.push({
      provider,
      text: `${provider === 'wrapper' ? 'the type/config/prefix document' : `objstore type ${provider}`} ${what} from ${to} (was ${a} in ${from})`,
    });
  };
  parsing('wrapper', before.wrapper, after.wrapper);
  for (const provider of Object.keys(after.providers)) parsing(provider, before.providers[provider] ?? 'absent', after.providers[provider]);
  for (const [provider, keys] of Object.entries(KEYS)) {
    const where = provider === 'wrapper' ? 'the type/config/prefix document' : `objstore type ${provider}`;
    for (const [key, runs] of Object.entries(keys)) {
      const had = releaseInRanges(runs, from);
      const has = releaseInRanges(runs, to);
      if (had && !has) out.push({ provider, text: `${where}: config key ${key} is gone in ${to}` });
      // A provider new in `to` is said once above, not key by key.
      if (!had && has && before.providers[provider] !== 'absent')
        out.push({ provider, text: `${where}: config key ${key} is new in ${to}` });
    }
  }
  return out;
}
